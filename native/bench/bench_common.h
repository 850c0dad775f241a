/* Shared helpers for juv's C reference benchmarks. */
#ifndef JUV_BENCH_COMMON_H
#define JUV_BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

#define CHECK(expr)                                                        \
  do {                                                                     \
    int check_rc_ = (expr);                                                \
    if (check_rc_ < 0) {                                                   \
      fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #expr,        \
              uv_strerror(check_rc_));                                     \
      exit(2);                                                             \
    }                                                                      \
  } while (0)

static inline double seconds_since(uint64_t start_ns) {
  return (double) (uv_hrtime() - start_ns) / 1e9;
}

#endif
