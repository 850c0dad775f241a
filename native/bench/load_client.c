/*
 * Load client for the TCP echo benchmarks. The same client drives the C and the juv server.
 *
 *   load_client pingpong <port> <connections> <seconds> [warmup-seconds]
 *   load_client pump     <port> <seconds> [warmup-seconds]
 *   load_client scale    <port> <connections> <busy-percent> <seconds> <first-source-octet>
 *   load_client hold     <port> <connections> <seconds> <first-source-octet> [interval-ms]
 *
 * pingpong: every connection sends a 64-byte message and waits for its echo before the next.
 * pump: one connection streams 64 KiB writes and counts the bytes echoed back.
 * scale: opens <connections> connections from 127.0.<octet..>.x source addresses, keeps
 * <busy-percent> of them in ping-pong and the rest idle, then checks every idle one still echoes.
 * hold: opens <connections> connections the same way, at most 512 connects in flight, prints
 * "CONNECTED ..." once every connect has finished, then sends each connection one message per
 * <interval-ms> (default 1000, staggered over 10 ms ticks) for <seconds>, and at the end pings
 * every connection once more: idle_checked counts the ones that answered, dropped the ones that
 * failed or closed while held, skipped the ticks where the previous echo had not come back yet.
 * The seconds of pingpong and pump may have a fraction ("0.5").
 * Every echoed byte is compared with what was sent. Prints one "RESULT ..." line.
 */
#include "bench_common.h"
#include <signal.h>
#include <string.h>

#define MSG 64
#define HIST 200000 /* 1 us buckets up to 200 ms */
#define HIST_SLOW 60000 /* then 1 ms buckets up to 60 s */
#define PUMP_CHUNK 65536
#define PUMP_INFLIGHT 4

typedef struct conn_s {
  uv_tcp_t tcp;
  uv_connect_t connect_req;
  uv_write_t write_req;
  char out[MSG];
  char in[MSG];
  size_t got;
  uint64_t sent_at;
  uint64_t seq;
  int busy;
  int connected;
  int verified_idle;
  int dead;
  int answered;
} conn_t;

static uv_loop_t* loop;
static uv_timer_t phase_timer;
static int measuring;
static int finishing;
static uint64_t round_trips;
static uint64_t errors;
static uint64_t mismatches;
static uint64_t connected_count;
static uint64_t failed_count;
static uint64_t idle_checked;
static uint64_t hist[HIST + 1];
static uint64_t hist_slow[HIST_SLOW + 1];
static uint64_t measure_start;
static double measured_seconds;
static int nconns;
static conn_t* conns;
static char slab[65536];
static const char* mode;
static int busy_percent = 100;

/* hold state */
#define HOLD_TICK_MS 10
#define HOLD_MAX_PENDING 512
static int hold_interval_ms = 1000;
static int hold_next_connect;
static int hold_first_octet = 1;
static int hold_port;
static uint64_t hold_tick;
static uint64_t hold_dropped;
static uint64_t hold_skipped;
static uint64_t hold_awaiting_final;
static uint64_t hold_start;
static uv_timer_t hold_tick_timer;
static int hold_final;

/* pump state */
static uint64_t pump_sent_offset;
static uint64_t pump_recv_offset;
static uint64_t pump_measured_bytes;
static int pump_inflight;
static char pump_buf[PUMP_CHUNK];

static unsigned char pattern(uint64_t i) {
  return (unsigned char) ((i * 31u + 7u) & 0xff);
}

static void alloc_cb(uv_handle_t* h, size_t s, uv_buf_t* buf) {
  (void) h;
  (void) s;
  buf->base = slab;
  buf->len = sizeof slab;
}

static void fill_message(conn_t* c) {
  int i;
  for (i = 0; i < MSG; i++) c->out[i] = (char) ((c->seq * 7 + (uint64_t) i + (uint64_t) (c - conns)) & 0xff);
}

static void send_message(conn_t* c);

static void write_cb(uv_write_t* req, int status) {
  (void) req;
  if (status < 0) errors++;
}

static void send_message(conn_t* c) {
  uv_buf_t b;
  int r;
  fill_message(c);
  c->got = 0;
  c->sent_at = uv_hrtime();
  b = uv_buf_init(c->out, MSG);
  r = uv_try_write((uv_stream_t*) &c->tcp, &b, 1);
  if (r == MSG) return;
  if (r < 0) r = 0;
  b = uv_buf_init(c->out + r, (unsigned int) (MSG - r));
  if (uv_write(&c->write_req, (uv_stream_t*) &c->tcp, &b, 1, write_cb) < 0) errors++;
}

static void hold_finish(void);
static void hold_connect_done(void);
static int hold_pending_connects;

static void record_latency(uint64_t us) {
  if (us < HIST) {
    hist[us]++;
  } else {
    uint64_t ms = us / 1000;
    hist_slow[ms < HIST_SLOW ? ms : HIST_SLOW]++;
  }
}

static void on_message(conn_t* c) {
  if (memcmp(c->in, c->out, MSG) != 0) mismatches++;
  if (strcmp(mode, "hold") == 0) {
    uint64_t us = (uv_hrtime() - c->sent_at) / 1000;
    c->busy = 0;
    c->seq++;
    if (!c->answered) {
      /* a connect counts as done once the server has accepted it and echoed the first message */
      c->answered = 1;
      hold_pending_connects--;
      hold_connect_done();
      return;
    }
    if (hold_final) {
      c->verified_idle = 1;
      idle_checked++;
      if (--hold_awaiting_final == 0) hold_finish();
      return;
    }
    if (measuring) {
      record_latency(us);
      round_trips++;
    }
    return;
  }
  if (!c->busy) {
    c->verified_idle = 1;
    idle_checked++;
    return;
  }
  if (measuring) {
    uint64_t us = (uv_hrtime() - c->sent_at) / 1000;
    record_latency(us);
    round_trips++;
  }
  c->seq++;
  if (!finishing) send_message(c);
}

static void read_cb(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  conn_t* c = (conn_t*) s;
  ssize_t i = 0;
  if (nread < 0) {
    if (!finishing) errors++;
    uv_read_stop(s);
    if (strcmp(mode, "hold") == 0 && !c->dead) {
      c->dead = 1;
      if (!finishing) hold_dropped++;
      if (!c->answered) {
        c->answered = 1;
        hold_pending_connects--;
        hold_connect_done();
      }
      if (hold_final && c->busy && --hold_awaiting_final == 0) hold_finish();
    }
    return;
  }
  while (i < nread) {
    size_t take = (size_t) (nread - i);
    if (take > MSG - c->got) take = MSG - c->got;
    memcpy(c->in + c->got, buf->base + i, take);
    c->got += take;
    i += (ssize_t) take;
    if (c->got == MSG) {
      c->got = 0;
      on_message(c);
    }
  }
}

static void pump_write(void);

static void pump_write_cb(uv_write_t* req, int status) {
  free(req);
  pump_inflight--;
  if (status < 0) {
    if (!finishing) errors++;
    return;
  }
  if (!finishing) pump_write();
}

static void pump_write(void) {
  while (pump_inflight < PUMP_INFLIGHT) {
    uv_write_t* req = malloc(sizeof *req);
    uv_buf_t b;
    size_t i;
    for (i = 0; i < PUMP_CHUNK; i++) pump_buf[i] = (char) pattern(pump_sent_offset + i);
    /* the buffer is reused: copy per write so in-flight data stays intact */
    char* copy = malloc(PUMP_CHUNK);
    memcpy(copy, pump_buf, PUMP_CHUNK);
    req->data = copy;
    b = uv_buf_init(copy, PUMP_CHUNK);
    pump_sent_offset += PUMP_CHUNK;
    pump_inflight++;
    if (uv_write(req, (uv_stream_t*) &conns[0].tcp, &b, 1, pump_write_cb) < 0) {
      errors++;
      pump_inflight--;
      free(copy);
      free(req);
      return;
    }
  }
}

static void pump_read_cb(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  ssize_t i;
  (void) s;
  if (nread < 0) {
    if (!finishing) errors++;
    return;
  }
  for (i = 0; i < nread; i++) {
    if ((unsigned char) buf->base[i] != pattern(pump_recv_offset + (uint64_t) i)) {
      mismatches++;
      break;
    }
  }
  pump_recv_offset += (uint64_t) nread;
  if (measuring) pump_measured_bytes += (uint64_t) nread;
}

static void connect_cb(uv_connect_t* req, int status) {
  conn_t* c = (conn_t*) req->data;
  if (strcmp(mode, "hold") == 0) {
    if (status < 0) {
      hold_pending_connects--;
      failed_count++;
      c->dead = 1;
      c->answered = 1;
      hold_connect_done();
    } else {
      c->connected = 1;
      connected_count++;
      uv_read_start((uv_stream_t*) &c->tcp, alloc_cb, read_cb);
      c->busy = 1;
      send_message(c);
    }
    return;
  }
  if (status < 0) {
    failed_count++;
    return;
  }
  c->connected = 1;
  connected_count++;
  uv_tcp_nodelay(&c->tcp, 1);
  if (strcmp(mode, "pump") == 0) {
    uv_read_start((uv_stream_t*) &c->tcp, alloc_cb, pump_read_cb);
    pump_write();
    return;
  }
  uv_read_start((uv_stream_t*) &c->tcp, alloc_cb, read_cb);
  if (c->busy) send_message(c);
}

static void close_all(void) {
  int i;
  for (i = 0; i < nconns; i++) {
    if (conns[i].tcp.loop == NULL) continue; /* never initialised (hold: connect deadline passed) */
    if (!uv_is_closing((uv_handle_t*) &conns[i].tcp)) uv_close((uv_handle_t*) &conns[i].tcp, NULL);
  }
  uv_close((uv_handle_t*) &phase_timer, NULL);
}

static void check_idle_timer_cb(uv_timer_t* t) {
  (void) t;
  close_all();
}

static void stop_timer_cb(uv_timer_t* t) {
  int i;
  measuring = 0;
  finishing = 1;
  measured_seconds = seconds_since(measure_start);
  if (strcmp(mode, "scale") == 0) {
    /* every idle connection must still echo */
    for (i = 0; i < nconns; i++) {
      if (conns[i].connected && !conns[i].busy) {
        conns[i].busy = 0;
        send_message(&conns[i]);
      }
    }
    uv_timer_start(t, check_idle_timer_cb, 3000, 0);
    return;
  }
  close_all();
}

static int duration_ms;

static void source_address(int i, int first_octet, struct sockaddr_in* src) {
  /* 250 connections per source address keeps far clear of port exhaustion */
  char ip[32];
  snprintf(ip, sizeof ip, "127.0.%d.%d", first_octet + i / 250 / 250, 1 + (i / 250) % 250);
  CHECK(uv_ip4_addr(ip, 0, src));
}

static void hold_finish(void) {
  if (finishing) return;
  finishing = 1;
  uv_timer_stop(&phase_timer);
  close_all();
  uv_close((uv_handle_t*) &hold_tick_timer, NULL);
}

static void hold_final_timeout_cb(uv_timer_t* t) {
  (void) t;
  hold_finish();
}

static void hold_stop_cb(uv_timer_t* t) {
  int i;
  measuring = 0;
  measured_seconds = seconds_since(measure_start);
  uv_timer_stop(&hold_tick_timer);
  hold_final = 1;
  /* one more message on every live connection; those still waiting count once their echo lands */
  for (i = 0; i < nconns; i++) {
    conn_t* c = &conns[i];
    if (!c->connected || c->dead) continue;
    hold_awaiting_final++;
    if (!c->busy) {
      c->busy = 1;
      send_message(c);
    }
  }
  if (hold_awaiting_final == 0) {
    hold_finish();
    return;
  }
  uv_timer_start(t, hold_final_timeout_cb, 10000, 0);
}

static void hold_slot(void);

static void hold_tick_cb(uv_timer_t* t) {
  /* every slot that is due by the clock, so a late tick does not lower the rate */
  uint64_t due = (uv_hrtime() - measure_start) / 1000000 / HOLD_TICK_MS;
  (void) t;
  while (hold_tick <= due) hold_slot();
}

static void hold_slot(void) {
  int slots = hold_interval_ms / HOLD_TICK_MS;
  int slot, i;
  if (slots < 1) slots = 1;
  slot = (int) (hold_tick++ % (uint64_t) slots);
  for (i = slot; i < nconns; i += slots) {
    conn_t* c = &conns[i];
    if (!c->connected || c->dead) continue;
    if (c->busy) {
      hold_skipped++;
      continue;
    }
    c->busy = 1;
    send_message(c);
  }
}

static void hold_connect_more(void) {
  while (hold_pending_connects < HOLD_MAX_PENDING && hold_next_connect < nconns) {
    int i = hold_next_connect++;
    conn_t* c = &conns[i];
    struct sockaddr_in src, dst;
    CHECK(uv_tcp_init(loop, &c->tcp));
    source_address(i, hold_first_octet, &src);
    CHECK(uv_ip4_addr("127.0.0.1", hold_port, &dst));
    c->connect_req.data = c;
    if (uv_tcp_bind(&c->tcp, (const struct sockaddr*) &src, 0) < 0
        || uv_tcp_connect(&c->connect_req, &c->tcp, (const struct sockaddr*) &dst, connect_cb) < 0) {
      failed_count++;
      c->dead = 1;
      continue;
    }
    hold_pending_connects++;
  }
}

static void hold_start_holding(void) {
  printf("CONNECTED connections=%d connected=%llu failed=%llu seconds=%.3f\n", nconns,
         (unsigned long long) connected_count, (unsigned long long) failed_count, seconds_since(hold_start));
  fflush(stdout);
  measuring = 1;
  measure_start = uv_hrtime();
  uv_timer_stop(&phase_timer);
  CHECK(uv_timer_start(&hold_tick_timer, hold_tick_cb, HOLD_TICK_MS, HOLD_TICK_MS));
  CHECK(uv_timer_start(&phase_timer, hold_stop_cb, (uint64_t) duration_ms, 0));
}

static void hold_connect_done(void) {
  if (measuring || hold_final) return;
  hold_connect_more();
  if (hold_pending_connects == 0 && hold_next_connect == nconns) hold_start_holding();
}

static void hold_connect_timeout_cb(uv_timer_t* t) {
  /* connects still pending after the deadline count as failed; hold what is there */
  (void) t;
  failed_count += (uint64_t) hold_pending_connects + (uint64_t) (nconns - hold_next_connect);
  hold_next_connect = nconns;
  hold_pending_connects = 0;
  hold_start_holding();
}


static void start_timer_cb(uv_timer_t* t) {
  measuring = 1;
  measure_start = uv_hrtime();
  uv_timer_start(t, stop_timer_cb, (uint64_t) duration_ms, 0);
}

static uint64_t percentile(double p) {
  uint64_t total = 0, acc = 0;
  int i;
  for (i = 0; i < HIST; i++) total += hist[i];
  for (i = 0; i <= HIST_SLOW; i++) total += hist_slow[i];
  if (total == 0) return 0;
  for (i = 0; i < HIST; i++) {
    acc += hist[i];
    if ((double) acc >= p * (double) total) return (uint64_t) i;
  }
  for (i = 0; i <= HIST_SLOW; i++) {
    acc += hist_slow[i];
    if ((double) acc >= p * (double) total) return (uint64_t) i * 1000;
  }
  return (uint64_t) HIST_SLOW * 1000;
}

/* A duration given in seconds, whole or not ("2", "0.5"), in milliseconds. */
static int millis(const char* seconds) {
  return (int) (atof(seconds) * 1000.0 + 0.5);
}

int main(int argc, char** argv) {
  int port, i, warmup_ms = 1000;
  int first_octet = 1;
  if (argc < 4) {
    fprintf(stderr, "usage: see the comment at the top of load_client.c\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN); /* a server gone mid-write is an error counted, not the end */
  mode = argv[1];
  port = atoi(argv[2]);
  if (strcmp(mode, "pump") == 0) {
    nconns = 1;
    duration_ms = millis(argv[3]);
    if (argc > 4) warmup_ms = millis(argv[4]);
  } else if (strcmp(mode, "pingpong") == 0) {
    nconns = atoi(argv[3]);
    duration_ms = millis(argv[4]);
    if (argc > 5) warmup_ms = millis(argv[5]);
  } else if (strcmp(mode, "scale") == 0 && argc >= 7) {
    nconns = atoi(argv[3]);
    busy_percent = atoi(argv[4]);
    duration_ms = atoi(argv[5]) * 1000;
    first_octet = atoi(argv[6]);
    warmup_ms = 2000;
  } else if (strcmp(mode, "hold") == 0 && argc >= 6) {
    nconns = atoi(argv[3]);
    duration_ms = atoi(argv[4]) * 1000;
    hold_first_octet = atoi(argv[5]);
    if (argc > 6) hold_interval_ms = atoi(argv[6]);
    hold_port = port;
  } else {
    fprintf(stderr, "unknown mode or missing arguments\n");
    return 2;
  }
  loop = uv_default_loop();
  conns = calloc((size_t) nconns, sizeof *conns);
  if (strcmp(mode, "hold") == 0) {
    hold_start = uv_hrtime();
    CHECK(uv_timer_init(loop, &phase_timer));
    CHECK(uv_timer_init(loop, &hold_tick_timer));
    /* bounded: connects that have not finished within 120 s count as failed */
    CHECK(uv_timer_start(&phase_timer, hold_connect_timeout_cb, 120000, 0));
    hold_connect_more();
    if (hold_pending_connects == 0) hold_start_holding();
    uv_run(loop, UV_RUN_DEFAULT);
    printf("RESULT mode=hold connections=%d connected=%llu failed=%llu seconds=%.3f round_trips=%llu"
           " rps=%.0f p50_us=%llu p99_us=%llu p999_us=%llu errors=%llu mismatches=%llu idle_checked=%llu"
           " dropped=%llu skipped=%llu\n",
           nconns, (unsigned long long) connected_count, (unsigned long long) failed_count, measured_seconds,
           (unsigned long long) round_trips, (double) round_trips / measured_seconds,
           (unsigned long long) percentile(0.50), (unsigned long long) percentile(0.99),
           (unsigned long long) percentile(0.999), (unsigned long long) errors, (unsigned long long) mismatches,
           (unsigned long long) idle_checked, (unsigned long long) hold_dropped, (unsigned long long) hold_skipped);
    fflush(stdout);
    uv_loop_close(loop);
    free(conns);
    return 0;
  }
  for (i = 0; i < nconns; i++) {
    struct sockaddr_in dst;
    conn_t* c = &conns[i];
    CHECK(uv_tcp_init(loop, &c->tcp));
    if (strcmp(mode, "scale") == 0) {
      struct sockaddr_in src;
      source_address(i, first_octet, &src);
      if (uv_tcp_bind(&c->tcp, (const struct sockaddr*) &src, 0) < 0) failed_count++;
      c->busy = (i % 100) < busy_percent;
    } else {
      c->busy = 1;
    }
    CHECK(uv_ip4_addr("127.0.0.1", port, &dst));
    c->connect_req.data = c;
    if (uv_tcp_connect(&c->connect_req, &c->tcp, (const struct sockaddr*) &dst, connect_cb) < 0) failed_count++;
  }
  CHECK(uv_timer_init(loop, &phase_timer));
  CHECK(uv_timer_start(&phase_timer, start_timer_cb, (uint64_t) warmup_ms, 0));
  uv_run(loop, UV_RUN_DEFAULT);
  if (strcmp(mode, "pump") == 0) {
    printf("RESULT mode=pump seconds=%.3f bytes=%llu bytes_per_s=%.0f errors=%llu mismatches=%llu\n",
           measured_seconds, (unsigned long long) pump_measured_bytes,
           (double) pump_measured_bytes / measured_seconds, (unsigned long long) errors,
           (unsigned long long) mismatches);
  } else {
    printf("RESULT mode=%s connections=%d connected=%llu failed=%llu seconds=%.3f round_trips=%llu"
           " rps=%.0f p50_us=%llu p99_us=%llu errors=%llu mismatches=%llu idle_checked=%llu\n",
           mode, nconns, (unsigned long long) connected_count, (unsigned long long) failed_count,
           measured_seconds, (unsigned long long) round_trips, (double) round_trips / measured_seconds,
           (unsigned long long) percentile(0.50), (unsigned long long) percentile(0.99),
           (unsigned long long) errors, (unsigned long long) mismatches, (unsigned long long) idle_checked);
  }
  fflush(stdout);
  uv_loop_close(loop);
  free(conns);
  return 0;
}
