import type { ButtonHTMLAttributes, ReactNode } from 'react'

type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger'

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant
  size?: 'md' | 'lg'
  wide?: boolean
  children: ReactNode
}

/** Every button is at least 48 px tall (touch), and shows focus for keyboard users. */
export function Button({ variant = 'secondary', size = 'md', wide = false, className, type = 'button', children, ...rest }: ButtonProps) {
  const classes = ['btn', `btn-${variant}`, size === 'lg' ? 'btn-lg' : '', wide ? 'btn-wide' : '', className ?? '']
    .filter(Boolean)
    .join(' ')
  return (
    <button type={type} className={classes} {...rest}>
      {children}
    </button>
  )
}
