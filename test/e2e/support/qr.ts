import jsQR from 'jsqr'
import { PNG } from 'pngjs'

export interface Rgba {
  width: number
  height: number
  data: Uint8ClampedArray
}

export function readPng(png: Buffer): Rgba {
  const image = PNG.sync.read(png)
  return {
    width: image.width,
    height: image.height,
    data: new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length),
  }
}

/**
 * Shrinks an image by an integer factor, averaging each block of pixels:
 * roughly what a phone camera's sensor does to a screen seen from further
 * away (no nearest-neighbour sampling that would keep the edges artificially
 * sharp).
 */
export function shrink(image: Rgba, factor: number): Rgba {
  if (factor === 1) return image
  const width = Math.floor(image.width / factor)
  const height = Math.floor(image.height / factor)
  const data = new Uint8ClampedArray(width * height * 4)
  const area = factor * factor
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sum = [0, 0, 0, 0]
      for (let dy = 0; dy < factor; dy++) {
        for (let dx = 0; dx < factor; dx++) {
          const i = ((y * factor + dy) * image.width + (x * factor + dx)) * 4
          for (let c = 0; c < 4; c++) sum[c]! += image.data[i + c]!
        }
      }
      const o = (y * width + x) * 4
      for (let c = 0; c < 4; c++) data[o + c] = Math.round(sum[c]! / area)
    }
  }
  return { width, height, data }
}

/** Decodes the QR code in a screenshot the way a phone would, or returns null. */
export function decodeQr(png: Buffer, scale: 1 | 0.5 | 0.25 = 1): string | null {
  const image = shrink(readPng(png), Math.round(1 / scale))
  const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })
  return code?.data ?? null
}
