/*
 * Loop-level micro benchmarks, the C side of juv's side-by-side figures.
 *
 *   micro timers <count>        one-shot timers spread over the first second: setup, run, close
 *   micro idle <iterations>     an idle handle counted N times: ns per loop iteration
 *   micro async <ms>            another thread calls uv_async_send for <ms>: wake-ups per second
 *   micro asyncpp <count>       the other thread waits for each callback before sending again
 *   micro fsstat <count> <concurrency> <path>   uv_fs_stat on the thread pool: stats per second
 *
 * Prints one "RESULT ..." line.
 */
#include "bench_common.h"
#include <string.h>

static uv_loop_t* loop;

/* ---- timers ---- */
static long timers_fired;
static void timer_cb(uv_timer_t* t) {
  (void) t;
  timers_fired++;
}

static int bench_timers(long n) {
  uv_timer_t* timers = malloc((size_t) n * sizeof *timers);
  uint64_t t0, t1, t2, t3;
  long i;
  t0 = uv_hrtime();
  for (i = 0; i < n; i++) {
    CHECK(uv_timer_init(loop, &timers[i]));
    CHECK(uv_timer_start(&timers[i], timer_cb, (uint64_t) (i % 1000), 0));
  }
  t1 = uv_hrtime();
  uv_run(loop, UV_RUN_DEFAULT);
  t2 = uv_hrtime();
  for (i = 0; i < n; i++) uv_close((uv_handle_t*) &timers[i], NULL);
  uv_run(loop, UV_RUN_DEFAULT);
  t3 = uv_hrtime();
  printf("RESULT bench=timers count=%ld fired=%ld setup_ms=%.1f run_ms=%.1f close_ms=%.1f total_ms=%.1f\n", n,
         timers_fired, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t3 - t0) / 1e6);
  free(timers);
  return timers_fired == n ? 0 : 1;
}

/* ---- idle ---- */
static long idle_left;
static void idle_cb(uv_idle_t* h) {
  if (--idle_left == 0) uv_idle_stop(h);
}

static int bench_idle(long n) {
  uv_idle_t idle;
  uint64_t t0;
  double s;
  idle_left = n;
  CHECK(uv_idle_init(loop, &idle));
  CHECK(uv_idle_start(&idle, idle_cb));
  t0 = uv_hrtime();
  uv_run(loop, UV_RUN_DEFAULT);
  s = seconds_since(t0);
  uv_close((uv_handle_t*) &idle, NULL);
  uv_run(loop, UV_RUN_DEFAULT);
  printf("RESULT bench=idle iterations=%ld ns_per_iteration=%.1f\n", n, s * 1e9 / (double) n);
  return 0;
}

/* ---- async ---- */
static uv_async_t async_h;
static uv_timer_t async_timer;
static long async_callbacks;
static volatile int async_done;
static void async_cb(uv_async_t* h) {
  (void) h;
  async_callbacks++;
}
static void async_stop_cb(uv_timer_t* t) {
  async_done = 1;
  uv_close((uv_handle_t*) t, NULL);
  uv_close((uv_handle_t*) &async_h, NULL);
}
static void sender(void* arg) {
  (void) arg;
  while (!async_done) uv_async_send(&async_h);
}

static int bench_async(long ms) {
  uv_thread_t th;
  uint64_t t0;
  double s;
  CHECK(uv_async_init(loop, &async_h, async_cb));
  CHECK(uv_timer_init(loop, &async_timer));
  CHECK(uv_timer_start(&async_timer, async_stop_cb, (uint64_t) ms, 0));
  t0 = uv_hrtime();
  CHECK(uv_thread_create(&th, sender, NULL));
  uv_run(loop, UV_RUN_DEFAULT);
  s = seconds_since(t0);
  async_done = 1;
  uv_thread_join(&th);
  printf("RESULT bench=async ms=%ld callbacks=%ld seconds=%.3f wakeups_per_s=%.0f\n", ms, async_callbacks, s,
         (double) async_callbacks / s);
  return 0;
}

/* ---- async ping-pong: the sender waits for each callback ---- */
static uv_sem_t pp_sem;
static long pp_left;
static long pp_total;
static void pp_cb(uv_async_t* h) {
  async_callbacks++;
  if (async_callbacks == pp_total) uv_close((uv_handle_t*) h, NULL);
  uv_sem_post(&pp_sem);
}
static void pp_sender(void* arg) {
  (void) arg;
  while (pp_left-- > 0) {
    uv_async_send(&async_h);
    uv_sem_wait(&pp_sem);
  }
}

static int bench_async_pingpong(long n) {
  uv_thread_t th;
  uint64_t t0;
  double s;
  pp_left = pp_total = n;
  CHECK(uv_sem_init(&pp_sem, 0));
  CHECK(uv_async_init(loop, &async_h, pp_cb));
  t0 = uv_hrtime();
  CHECK(uv_thread_create(&th, pp_sender, NULL));
  uv_run(loop, UV_RUN_DEFAULT);
  s = seconds_since(t0);
  uv_thread_join(&th);
  uv_sem_destroy(&pp_sem);
  printf("RESULT bench=asyncpp count=%ld callbacks=%ld seconds=%.3f wakeups_per_s=%.0f\n", n, async_callbacks, s,
         (double) async_callbacks / s);
  return 0;
}

/* ---- fs stat ---- */
static long stat_left;
static long stat_done;
static long stat_errors;
static const char* stat_path;
static void stat_cb(uv_fs_t* req) {
  if (req->result < 0) stat_errors++;
  stat_done++;
  uv_fs_req_cleanup(req);
  if (stat_left > 0) {
    stat_left--;
    CHECK(uv_fs_stat(loop, req, stat_path, stat_cb));
  } else {
    free(req);
  }
}

static int bench_fsstat(long n, int concurrency, const char* path) {
  uint64_t t0;
  double s;
  int i;
  stat_path = path;
  stat_left = n;
  t0 = uv_hrtime();
  for (i = 0; i < concurrency && stat_left > 0; i++) {
    uv_fs_t* req = malloc(sizeof *req);
    stat_left--;
    CHECK(uv_fs_stat(loop, req, path, stat_cb));
  }
  uv_run(loop, UV_RUN_DEFAULT);
  s = seconds_since(t0);
  printf("RESULT bench=fsstat count=%ld concurrency=%d errors=%ld stats_per_s=%.0f\n", stat_done, concurrency,
         stat_errors, (double) stat_done / s);
  return stat_errors == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  int rc;
  if (argc < 3) {
    fprintf(stderr, "usage: micro timers|idle|async|fsstat <n> [...]\n");
    return 2;
  }
  loop = uv_default_loop();
  if (strcmp(argv[1], "timers") == 0) rc = bench_timers(atol(argv[2]));
  else if (strcmp(argv[1], "idle") == 0) rc = bench_idle(atol(argv[2]));
  else if (strcmp(argv[1], "async") == 0) rc = bench_async(atol(argv[2]));
  else if (strcmp(argv[1], "asyncpp") == 0) rc = bench_async_pingpong(atol(argv[2]));
  else if (strcmp(argv[1], "fsstat") == 0 && argc >= 5) rc = bench_fsstat(atol(argv[2]), atoi(argv[3]), argv[4]);
  else {
    fprintf(stderr, "unknown benchmark %s\n", argv[1]);
    return 2;
  }
  fflush(stdout);
  uv_loop_close(loop);
  return rc;
}
