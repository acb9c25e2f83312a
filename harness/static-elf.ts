import { closeSync, openSync, readSync } from 'node:fs'

const PT_INTERP = 3

/**
 * Whether `path` is a 64-bit little-endian ELF executable without a program interpreter (dynamic
 * loader): an image FROM scratch has no loader, so only such a binary runs there.
 */
export function isStaticElf(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const header = Buffer.alloc(64)
    readSync(fd, header, 0, 64, 0)
    // \x7fELF, ELFCLASS64, ELFDATA2LSB
    if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) return false
    const phoff = Number(header.readBigUInt64LE(32))
    const phentsize = header.readUInt16LE(54)
    const phnum = header.readUInt16LE(56)
    const table = Buffer.alloc(phentsize * phnum)
    readSync(fd, table, 0, table.length, phoff)
    for (let i = 0; i < phnum; i++) {
      if (table.readUInt32LE(i * phentsize) === PT_INTERP) return false
    }
    return true
  } finally {
    closeSync(fd)
  }
}
