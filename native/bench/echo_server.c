/*
 * TCP echo server: the C side of the ping-pong, pump and connection-scale benchmarks.
 * Usage: echo_server [port] [host] [read-buffer-bytes] (default 65536). Prints "Listening on <port>" once ready; SIGINT or
 * SIGTERM stop it, and it then prints its CPU time in microseconds.
 */
#include "bench_common.h"
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

typedef struct write_req_s {
  uv_write_t req;
  uv_buf_t buf;
  struct write_req_s* next_free;
} write_req_t;

/* Queued writes reuse a request and a read-buffer-sized block from a free list, as juv's pooled
 * write blocks do: a malloc of 128 KiB or more per write would be an mmap and page faults, which
 * is not what the comparison is about. */
static write_req_t* free_writes;

static uv_loop_t* loop;
static uv_tcp_t server;
static uv_signal_t sigint_h, sigterm_h;
/* the read buffer: 64 KiB unless the third argument gives another size */
static char* slab;
static size_t slab_size = 65536;
static long connections;

static void alloc_cb(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  (void) h;
  (void) suggested;
  buf->base = slab;
  buf->len = slab_size;
}

static void close_cb(uv_handle_t* h) {
  free(h);
}

static write_req_t* take_write(size_t len) {
  write_req_t* w = free_writes;
  if (w != NULL) {
    free_writes = w->next_free;
  } else {
    w = malloc(sizeof *w);
    if (w == NULL) return NULL;
    w->buf.base = malloc(slab_size);
    if (w->buf.base == NULL) { free(w); return NULL; }
  }
  w->buf.len = len;
  return w;
}

static void give_write(write_req_t* w) {
  w->next_free = free_writes;
  free_writes = w;
}

static void write_cb(uv_write_t* req, int status) {
  (void) status;
  give_write((write_req_t*) req);
}

static void read_cb(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  if (nread > 0) {
    uv_buf_t out;
    int r;
    /* try the fast path first, as a server tuned for latency would */
    out = uv_buf_init(buf->base, (unsigned int) nread);
    r = uv_try_write(s, &out, 1);
    if (r == nread) return;
    if (r < 0) r = 0;
    write_req_t* w = take_write((size_t) (nread - r)); /* nread <= slab_size */
    if (w == NULL) {
      uv_close((uv_handle_t*) s, close_cb);
      return;
    }
    memcpy(w->buf.base, buf->base + r, w->buf.len);
    if (uv_write(&w->req, s, &w->buf, 1, write_cb) < 0) {
      give_write(w);
      uv_close((uv_handle_t*) s, close_cb);
    }
    return;
  }
  if (nread < 0) {
    connections--;
    uv_close((uv_handle_t*) s, close_cb);
  }
}

static void connection_cb(uv_stream_t* srv, int status) {
  uv_tcp_t* c;
  if (status < 0) return;
  c = malloc(sizeof *c);
  CHECK(uv_tcp_init(loop, c));
  if (uv_accept(srv, (uv_stream_t*) c) == 0) {
    connections++;
    uv_tcp_nodelay(c, 1);
    CHECK(uv_read_start((uv_stream_t*) c, alloc_cb, read_cb));
  } else {
    uv_close((uv_handle_t*) c, close_cb);
  }
}

static void walk_close(uv_handle_t* h, void* arg) {
  (void) arg;
  if (uv_is_closing(h)) return;
  if (h == (uv_handle_t*) &server || h == (uv_handle_t*) &sigint_h || h == (uv_handle_t*) &sigterm_h)
    uv_close(h, NULL);
  else
    uv_close(h, close_cb);
}

static void signal_cb(uv_signal_t* h, int signum) {
  (void) signum;
  uv_walk(h->loop, walk_close, NULL);
}

int main(int argc, char** argv) {
  struct sockaddr_in addr;
  struct sockaddr_in bound;
  int namelen = sizeof bound;
  struct rusage ru;
  int port = argc > 1 ? atoi(argv[1]) : 0;
  const char* host = argc > 2 ? argv[2] : "127.0.0.1";
  if (argc > 3 && atol(argv[3]) > 0) slab_size = (size_t) atol(argv[3]);
  /* a peer that closes while a write is under way is an EPIPE error, not the end of the process
   * (as in Node, and in the JVM, which ignores SIGPIPE) */
  signal(SIGPIPE, SIG_IGN);
  slab = malloc(slab_size);
  if (slab == NULL) return 1;

  loop = uv_default_loop();
  CHECK(uv_ip4_addr(host, port, &addr));
  CHECK(uv_tcp_init(loop, &server));
  CHECK(uv_tcp_bind(&server, (const struct sockaddr*) &addr, 0));
  CHECK(uv_listen((uv_stream_t*) &server, 4096, connection_cb));
  CHECK(uv_tcp_getsockname(&server, (struct sockaddr*) &bound, &namelen));
  CHECK(uv_signal_init(loop, &sigint_h));
  CHECK(uv_signal_start(&sigint_h, signal_cb, SIGINT));
  CHECK(uv_signal_init(loop, &sigterm_h));
  CHECK(uv_signal_start(&sigterm_h, signal_cb, SIGTERM));
  printf("Listening on %d\n", ntohs(bound.sin_port));
  fflush(stdout);
  uv_run(loop, UV_RUN_DEFAULT);
  getrusage(RUSAGE_SELF, &ru);
  printf("cpu_us=%ld\n", (long) (ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec
                                 + ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec));
  uv_loop_close(loop);
  return 0;
}
