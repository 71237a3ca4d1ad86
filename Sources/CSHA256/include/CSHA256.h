#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// Runs the SHA-256 compression function over `blocks` 64-byte blocks at `data`, updating the
/// eight state words. Uses the CPU's SHA extensions where present, portable C otherwise.
void csha256_compress(uint32_t state[8], const uint8_t *data, size_t blocks);

/// 1 when the SHA extensions are used, 0 for the portable code (for tests and benchmarks).
int csha256_uses_sha_extensions(void);

/// The portable compression function alone (for tests that compare both).
void csha256_compress_portable(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
