/*
 * wc-exec: runs one command and reports, as JSON on a file descriptor, what hyperfine and
 * `/usr/bin/time -f %M` would measure: wall time from just before fork to the child's exit
 * (CLOCK_MONOTONIC), its rusage from wait4 (peak RSS of the child: ru_maxrss, user and system
 * time), plus when each chunk of stdout arrived, so that marker lines can be timed exactly.
 *
 * Node cannot call wait4 for its children; polling /proc would miss the peak of short runs.
 *
 *   wc-exec [--report-fd N] [--quiet] -- PROGRAM [ARGS...]
 *   wc-exec --batch PLAN [--report-fd N] [--ack-fd M]
 *
 * Batch mode runs a whole schedule of samples itself (the plan's format is below) and streams one
 * JSON line per sample to the report fd, handed over at most every 100 ms; with --ack-fd it then
 * waits for one byte per record from the parent before the next sample, so the parent's own work
 * (statistics, checkpoints, progress) never overlaps a measured start, and for one byte before the
 * first sample (the parent's own start is over).
 *
 * stdout/stderr of PROGRAM are forwarded unchanged (unless --quiet); stdin is inherited.
 * The report goes to fd N (default 3). Exit status: 0 when the report was written.
 *
 * Output is held back (up to HOLD_LIMIT bytes per stream) and forwarded after the child's exit
 * time is taken: forwarding while it runs wakes the reader (our Node parent), which then competes
 * with the child for the CPU and inflates short runs by ~0.3 ms on a 2-core machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_CHUNKS 4096
#define HOLD_LIMIT (8 * 1024 * 1024)

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void write_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) { if (errno == EINTR) continue; return; }
        buf += n; len -= (size_t)n;
    }
}

static int64_t chunk_off[MAX_CHUNKS], chunk_t[MAX_CHUNKS];
static int nchunks = 0;

/* Output held back until the child has exited; flushed early only when it grows past HOLD_LIMIT. */
struct held { char *data; size_t len, cap; int fd; };

static void hold(struct held *h, const char *buf, size_t n) {
    if (h->len + n > HOLD_LIMIT) {
        write_all(h->fd, h->data, h->len);
        h->len = 0;
        write_all(h->fd, buf, n);
        return;
    }
    if (h->len + n > h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 65536;
        while (cap < h->len + n) cap *= 2;
        char *grown = realloc(h->data, cap);
        if (!grown) { write_all(h->fd, h->data, h->len); h->len = 0; write_all(h->fd, buf, n); return; }
        h->data = grown; h->cap = cap;
    }
    memcpy(h->data + h->len, buf, n);
    h->len += n;
}

int batch_main(const char *plan_file, int report_fd, int ack_fd);

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "--batch") == 0) {
        int report_fd = 3, ack_fd = -1;
        for (int a = 3; a + 1 < argc; a += 2) {
            if (strcmp(argv[a], "--report-fd") == 0) report_fd = atoi(argv[a + 1]);
            else if (strcmp(argv[a], "--ack-fd") == 0) ack_fd = atoi(argv[a + 1]);
        }
        return batch_main(argv[2], report_fd, ack_fd);
    }
    int report_fd = 3, quiet = 0, i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--report-fd") == 0 && i + 1 < argc) report_fd = atoi(argv[++i]);
        else if (strcmp(argv[i], "--quiet") == 0) quiet = 1;
        else if (strcmp(argv[i], "--") == 0) { i++; break; }
        else break;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: wc-exec [--report-fd N] [--quiet] -- PROGRAM [ARGS...]\n");
        return 2;
    }
    if (fcntl(report_fd, F_GETFD) < 0) {
        fprintf(stderr, "wc-exec: report fd %d is not open\n", report_fd);
        return 2;
    }

    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) { perror("wc-exec: pipe"); return 2; }
    if (report_fd > 2) fcntl(report_fd, F_SETFD, FD_CLOEXEC);

    sigset_t mask, empty;
    sigemptyset(&mask);
    sigemptyset(&empty);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) { perror("wc-exec: signalfd"); return 2; }

    /* posix_spawn, as hyperfine does: vfork semantics, so this process sleeps until the child has
       exec'd instead of racing its own copy-on-write faults against it (fork cost ~0.1-0.3 ms). */
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigmask(&attr, &empty);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);

    pid_t pid;
    int64_t t0 = now_ns();
    int exec_errno = posix_spawnp(&pid, argv[i], &actions, &attr, &argv[i], environ);
    if (exec_errno != 0) {
        /* nothing ran: report as the shell would (127) with the errno */
        int64_t t_fail = now_ns() - t0;
        FILE *rep = fdopen(report_fd, "w");
        if (!rep) { perror("wc-exec: report"); return 2; }
        fprintf(rep, "{\"exitCode\":127,\"signal\":0,\"execErrno\":%d,\"wallNs\":%lld,\"firstStdoutNs\":-1,\"maxRssKb\":0,\"userUs\":0,\"systemUs\":0,\"stdoutBytes\":0,\"chunks\":[]}\n", exec_errno, (long long)t_fail);
        fclose(rep);
        return 0;
    }
    close(out_pipe[1]); close(err_pipe[1]);

    struct pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {sfd, POLLIN, 0}};
    int open_streams = 2, exited = 0, status = 0;
    int64_t t_exit = 0, first_out = -1, out_bytes = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    char buf[65536];
    struct held held_out = {NULL, 0, 0, 1}, held_err = {NULL, 0, 0, 2};

    /* Until the child exits, or after it exits until its pipes drain (grandchildren may keep
       them open, so after exit we only read what is already there). */
    while (!exited || open_streams > 0) {
        int timeout = exited ? 0 : -1;
        int n = poll(fds, 3, timeout);
        if (n < 0) { if (errno == EINTR) continue; break; }
        if (n == 0 && exited) break;
        for (int s = 0; s < 2; s++) {
            if (fds[s].fd < 0 || !(fds[s].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t r = read(fds[s].fd, buf, sizeof buf);
            if (r <= 0) {
                if (r < 0 && errno == EINTR) continue;
                close(fds[s].fd); fds[s].fd = -1; open_streams--;
                continue;
            }
            if (s == 0) {
                int64_t t = now_ns() - t0;
                if (first_out < 0) first_out = t;
                out_bytes += r;
                if (nchunks < MAX_CHUNKS) { chunk_off[nchunks] = out_bytes; chunk_t[nchunks] = t; nchunks++; }
            }
            if (!quiet) hold(s == 0 ? &held_out : &held_err, buf, (size_t)r);
        }
        if (!exited && (fds[2].revents & POLLIN)) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == sizeof si) {}
            pid_t w = wait4(pid, &status, WNOHANG, &ru);
            if (w == pid) {
                t_exit = now_ns() - t0;
                exited = 1;
                fds[2].fd = -1;
            }
        }
    }

    write_all(1, held_out.data, held_out.len);
    write_all(2, held_err.data, held_err.len);
    int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    FILE *rep = fdopen(report_fd, "w");
    if (!rep) { perror("wc-exec: report"); return 2; }
    fprintf(rep,
            "{\"exitCode\":%d,\"signal\":%d,\"execErrno\":%d,\"wallNs\":%lld,\"firstStdoutNs\":%lld,"
            "\"maxRssKb\":%ld,\"userUs\":%lld,\"systemUs\":%lld,\"stdoutBytes\":%lld,\"chunks\":[",
            exit_code, sig, exec_errno, (long long)t_exit, (long long)first_out, ru.ru_maxrss,
            (long long)ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec,
            (long long)ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec, (long long)out_bytes);
    for (int c = 0; c < nchunks; c++) fprintf(rep, "%s[%lld,%lld]", c ? "," : "", (long long)chunk_off[c], (long long)chunk_t[c]);
    fprintf(rep, "]}\n");
    fclose(rep);
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Batch mode.
 *
 * PLAN is a file of NUL-terminated fields:
 *   "wc-exec-plan-1"
 *   "markers" COUNT MARKER...                 line prefixes whose first appearance on stdout is timed
 *   "command" ARGC ARG... ENVC ENV... CWD STDIN TIMEOUT_MS     (repeated; CWD/STDIN may be empty)
 *   "schedule" COUNT INDEX...                 which command each sample runs, in order
 * Each sample writes one line to the report fd:
 *   {"step":N,"exitCode":..,"signal":..,"execErrno":..,"timedOut":0|1,"wallNs":..,
 *    "firstStdoutNs":..,"maxRssKb":..,"userUs":..,"systemUs":..,"stdoutBytes":..,
 *    "markers":[ns or -1 per marker],"stderrTail":"..."}
 * Output is counted and timed, never kept (stderr: its last STDERR_TAIL bytes, for error messages).
 * Every sample runs in its own process group, killed after the sample (stragglers) or at its timeout.
 * ------------------------------------------------------------------------------------------------ */
#define MAX_MARKERS 16
#define MARKER_PREFIX 256
#define STDERR_TAIL 2048
#define FLUSH_NS (100 * 1000000LL)

struct command {
    char **argv, **envp;
    const char *cwd, *stdin_path;
    long timeout_ms;
};

struct plan {
    char *data;
    int nmarkers;
    const char *markers[MAX_MARKERS];
    size_t marker_len[MAX_MARKERS];
    int ncommands;
    struct command *commands;
    int nsteps;
    int *steps;
};

struct sample {
    int exit_code, sig, exec_errno, timed_out;
    int64_t wall_ns, first_out_ns, out_bytes;
    struct rusage ru;
    int64_t marker_ns[MAX_MARKERS];
    char tail[STDERR_TAIL];
    size_t tail_len, tail_start; /* ring buffer of stderr's last bytes */
};

/* The plan's fields, one after another. */
struct fields { char *p, *end; int bad; };

static const char *next_field(struct fields *f) {
    if (f->p >= f->end) { f->bad = 1; return ""; }
    const char *s = f->p;
    char *nul = memchr(f->p, '\0', (size_t)(f->end - f->p));
    if (!nul) { f->bad = 1; return ""; }
    f->p = nul + 1;
    return s;
}

static long next_number(struct fields *f) {
    const char *s = next_field(f);
    char *endp;
    long v = strtol(s, &endp, 10);
    if (*s == '\0' || *endp != '\0' || v < 0) f->bad = 1;
    return v;
}

static char **next_vector(struct fields *f, int allow_empty) {
    long n = next_number(f);
    if (f->bad || n > 100000 || (!allow_empty && n == 0)) { f->bad = 1; return NULL; }
    char **v = calloc((size_t)n + 1, sizeof *v);
    if (!v) { f->bad = 1; return NULL; }
    for (long k = 0; k < n; k++) v[k] = (char *)next_field(f);
    return v;
}

static int read_plan(const char *file, struct plan *pl) {
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { perror("wc-exec: plan"); return -1; }
    size_t cap = 65536, len = 0;
    char *data = malloc(cap);
    for (;;) {
        if (len == cap) { cap *= 2; data = realloc(data, cap); }
        if (!data) { close(fd); return -1; }
        ssize_t r = read(fd, data + len, cap - len);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        len += (size_t)r;
    }
    close(fd);
    memset(pl, 0, sizeof *pl);
    pl->data = data;
    struct fields f = {data, data + len, 0};
    if (strcmp(next_field(&f), "wc-exec-plan-1") != 0) f.bad = 1;
    int cap_cmds = 0;
    while (!f.bad && f.p < f.end) {
        const char *kind = next_field(&f);
        if (strcmp(kind, "markers") == 0) {
            long n = next_number(&f);
            if (n > MAX_MARKERS) { f.bad = 1; break; }
            pl->nmarkers = (int)n;
            for (int m = 0; m < n; m++) {
                pl->markers[m] = next_field(&f);
                pl->marker_len[m] = strlen(pl->markers[m]);
                if (pl->marker_len[m] >= MARKER_PREFIX) f.bad = 1;
            }
        } else if (strcmp(kind, "command") == 0) {
            if (pl->ncommands == cap_cmds) {
                cap_cmds = cap_cmds ? cap_cmds * 2 : 8;
                pl->commands = realloc(pl->commands, (size_t)cap_cmds * sizeof *pl->commands);
                if (!pl->commands) return -1;
            }
            struct command *c = &pl->commands[pl->ncommands++];
            c->argv = next_vector(&f, 0);
            c->envp = next_vector(&f, 1);
            c->cwd = next_field(&f);
            c->stdin_path = next_field(&f);
            c->timeout_ms = next_number(&f);
        } else if (strcmp(kind, "schedule") == 0) {
            long n = next_number(&f);
            if (f.bad || n > 10000000) { f.bad = 1; break; }
            pl->nsteps = (int)n;
            pl->steps = calloc((size_t)n + 1, sizeof *pl->steps);
            for (long k = 0; k < n && pl->steps; k++) {
                long idx = next_number(&f);
                if (idx >= pl->ncommands) f.bad = 1;
                pl->steps[k] = (int)idx;
            }
        } else f.bad = 1;
    }
    if (f.bad || !pl->steps) { fprintf(stderr, "wc-exec: malformed plan %s\n", file); return -1; }
    return 0;
}

static void keep_tail(struct sample *s, const char *buf, size_t n) {
    for (size_t k = 0; k < n; k++) {
        size_t at = (s->tail_start + s->tail_len) % STDERR_TAIL;
        s->tail[at] = buf[k];
        if (s->tail_len < STDERR_TAIL) s->tail_len++;
        else s->tail_start = (s->tail_start + 1) % STDERR_TAIL;
    }
}

/* Marker lines: the first MARKER_PREFIX bytes of the current stdout line are enough to compare. */
struct line_state { char prefix[MARKER_PREFIX]; size_t len; };

static void end_line(const struct plan *pl, struct sample *s, struct line_state *ls, int64_t t) {
    size_t len = ls->len;
    if (len > 0 && len < MARKER_PREFIX && ls->prefix[len - 1] == '\r') len--;
    for (int m = 0; m < pl->nmarkers; m++) {
        if (s->marker_ns[m] < 0 && len >= pl->marker_len[m] &&
            memcmp(ls->prefix, pl->markers[m], pl->marker_len[m]) == 0)
            s->marker_ns[m] = t;
    }
    ls->len = 0;
}

static void scan_stdout(const struct plan *pl, struct sample *s, struct line_state *ls,
                        const char *buf, size_t n, int64_t t) {
    if (pl->nmarkers == 0) return;
    for (size_t k = 0; k < n; k++) {
        if (buf[k] == '\n') end_line(pl, s, ls, t);
        else if (ls->len < MARKER_PREFIX) ls->prefix[ls->len++] = buf[k];
    }
}

static int open_stdin(const char *path) {
    return open(path[0] ? path : "/dev/null", O_RDONLY | O_CLOEXEC);
}

/* Runs one sample to completion (or its timeout). Returns -1 when a termination signal arrived. */
static int run_sample(const struct plan *pl, const struct command *c, int sfd, struct sample *s) {
    memset(s, 0, sizeof *s);
    s->first_out_ns = -1;
    for (int m = 0; m < MAX_MARKERS; m++) s->marker_ns[m] = -1;
    int out_pipe[2], err_pipe[2];
    int in_fd = open_stdin(c->stdin_path);
    if (in_fd < 0 || pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) {
        s->exec_errno = errno ? errno : EIO;
        s->exit_code = 127;
        if (in_fd >= 0) close(in_fd);
        return 0;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_fd, 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    if (c->cwd[0]) posix_spawn_file_actions_addchdir_np(&actions, c->cwd);
    sigset_t empty;
    sigemptyset(&empty);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigmask(&attr, &empty);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);

    pid_t pid;
    int64_t t0 = now_ns();
    int err = posix_spawn(&pid, c->argv[0], &actions, &attr, c->argv, c->envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(in_fd); close(out_pipe[1]); close(err_pipe[1]);
    if (err != 0) {
        s->wall_ns = now_ns() - t0;
        s->exec_errno = err;
        s->exit_code = 127;
        close(out_pipe[0]); close(err_pipe[0]);
        return 0;
    }
    int64_t deadline = c->timeout_ms > 0 ? t0 + c->timeout_ms * 1000000LL : -1;
    struct pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {sfd, POLLIN, 0}};
    int open_streams = 2, exited = 0, status = 0, stop = 0;
    struct line_state ls = {{0}, 0};
    char buf[65536];
    int64_t t_last_out = 0;
    while (!exited || open_streams > 0) {
        int timeout = -1;
        if (exited) timeout = 0;
        else if (deadline >= 0) {
            int64_t left = (deadline - now_ns()) / 1000000LL;
            timeout = left < 0 ? 0 : (int)(left > 3600000 ? 3600000 : left + 1);
        }
        int n = poll(fds, 3, timeout);
        if (n < 0) { if (errno == EINTR) continue; break; }
        if (n == 0 && exited) break;
        if (n == 0 && deadline >= 0 && now_ns() >= deadline) {
            kill(-pid, SIGKILL);
            s->timed_out = 1;
            deadline = -1;
            continue;
        }
        for (int k = 0; k < 2; k++) {
            if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t r = read(fds[k].fd, buf, sizeof buf);
            if (r <= 0) {
                if (r < 0 && errno == EINTR) continue;
                close(fds[k].fd); fds[k].fd = -1; open_streams--;
                continue;
            }
            if (k == 0) {
                int64_t t = now_ns() - t0;
                if (s->first_out_ns < 0) s->first_out_ns = t;
                s->out_bytes += r;
                t_last_out = t;
                scan_stdout(pl, s, &ls, buf, (size_t)r, t);
            } else keep_tail(s, buf, (size_t)r);
        }
        if (!exited && fds[2].fd >= 0 && (fds[2].revents & POLLIN)) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == sizeof si) {
                if (si.ssi_signo != SIGCHLD) { stop = 1; kill(-pid, SIGKILL); }
            }
            pid_t w = wait4(pid, &status, WNOHANG, &s->ru);
            if (w == pid) {
                s->wall_ns = now_ns() - t0;
                exited = 1;
                fds[2].fd = -1;
            }
        }
    }
    if (ls.len > 0) end_line(pl, s, &ls, t_last_out); /* a last line without a newline */
    kill(-pid, SIGKILL); /* what the sample left running in its group */
    for (int k = 0; k < 2; k++) if (fds[k].fd >= 0) close(fds[k].fd);
    s->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    s->sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return stop ? -1 : 0;
}

/* Appends text to a growing buffer (the report line). */
struct text { char *data; size_t len, cap; };

static void put(struct text *t, const char *s, size_t n) {
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->len + n + 1) cap *= 2;
        char *grown = realloc(t->data, cap);
        if (!grown) return;
        t->data = grown; t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
}

static void putf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct text *t, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) put(t, tmp, (size_t)(n < (int)sizeof tmp ? n : (int)sizeof tmp - 1));
}

static void put_json_string(struct text *t, const struct sample *s) {
    put(t, "\"", 1);
    for (size_t k = 0; k < s->tail_len; k++) {
        unsigned char ch = (unsigned char)s->tail[(s->tail_start + k) % STDERR_TAIL];
        if (ch == '"' || ch == '\\') { char e[2] = {'\\', (char)ch}; put(t, e, 2); }
        else if (ch < 0x20) putf(t, "\\u%04x", ch);
        else put(t, (const char *)&ch, 1);
    }
    put(t, "\"", 1);
}

/* Appends one sample's record (a JSON line) to the records not yet handed to the parent. */
static void report_sample(struct text *pending, int step, int nmarkers, const struct sample *s) {
    struct text t = {NULL, 0, 0};
    putf(&t,
         "{\"step\":%d,\"exitCode\":%d,\"signal\":%d,\"execErrno\":%d,\"timedOut\":%d,"
         "\"wallNs\":%lld,\"firstStdoutNs\":%lld,\"maxRssKb\":%ld,\"userUs\":%lld,"
         "\"systemUs\":%lld,\"stdoutBytes\":%lld,\"markers\":[",
         step, s->exit_code, s->sig, s->exec_errno, s->timed_out, (long long)s->wall_ns,
         (long long)s->first_out_ns, s->ru.ru_maxrss,
         (long long)s->ru.ru_utime.tv_sec * 1000000LL + s->ru.ru_utime.tv_usec,
         (long long)s->ru.ru_stime.tv_sec * 1000000LL + s->ru.ru_stime.tv_usec,
         (long long)s->out_bytes);
    for (int m = 0; m < nmarkers; m++) putf(&t, "%s%lld", m ? "," : "", (long long)s->marker_ns[m]);
    put(&t, "],\"stderrTail\":", 15);
    put_json_string(&t, s);
    put(&t, "}\n", 2);
    put(pending, t.data, t.len);
    free(t.data);
}

/* Until the parent has dealt with a record (one byte on ack_fd). 0: go on; -1: stop. */
static int wait_for_ack(int ack_fd, int sfd) {
    struct pollfd fds[2] = {{ack_fd, POLLIN, 0}, {sfd, POLLIN, 0}};
    if (ack_fd < 0) fds[0] = fds[1];
    for (;;) {
        int n = poll(fds, ack_fd >= 0 ? 2 : 1, ack_fd >= 0 ? -1 : 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        int k = ack_fd >= 0 ? 1 : 0;
        if (fds[k].revents & POLLIN) { /* a termination signal between samples */
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == sizeof si)
                if (si.ssi_signo != SIGCHLD) return -1;
        }
        if (ack_fd < 0) return 0;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char ack;
            ssize_t r = read(ack_fd, &ack, 1);
            if (r < 0 && errno == EINTR) continue;
            return r == 1 ? 0 : -1; /* EOF: the parent is gone or wants no more */
        }
    }
}

int batch_main(const char *plan_file, int report_fd, int ack_fd) {
    struct plan pl;
    if (read_plan(plan_file, &pl) != 0) return 2;
    if (fcntl(report_fd, F_GETFD) < 0) {
        fprintf(stderr, "wc-exec: report fd %d is not open\n", report_fd);
        return 2;
    }
    if (report_fd > 2) fcntl(report_fd, F_SETFD, FD_CLOEXEC);
    if (ack_fd > 2) fcntl(ack_fd, F_SETFD, FD_CLOEXEC);
    /* SIGCHLD wakes the loop; SIGTERM/SIGINT/SIGHUP stop the batch after killing the sample */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) { perror("wc-exec: signalfd"); return 2; }
    /* Records are handed over at most every FLUSH_NS (and after the last sample), then the helper
       waits until the parent has taken each: the parent wakes once per hand-over, never during a
       sample, and a run of 1 ms samples does not pay a round trip through a busy scheduler each. */
    struct sample s;
    struct text pending = {NULL, 0, 0};
    /* With --ack-fd, one byte first: the parent is still setting up after it started us (spawn,
       pipes, a GC: 10-20 ms of Node) and says when it is idle, so that its start does not compete
       with the first samples (under stress-ng --cpu 1, 20-run blocks read 2.2x hyperfine). */
    if (ack_fd >= 0 && wait_for_ack(ack_fd, sfd) != 0) return 130;
    int unacked = 0;
    int64_t last_flush = now_ns();
    for (int k = 0; k < pl.nsteps; k++) {
        int stopped = run_sample(&pl, &pl.commands[pl.steps[k]], sfd, &s);
        if (stopped) return 130;
        report_sample(&pending, k, pl.nmarkers, &s);
        unacked++;
        if (k + 1 < pl.nsteps && now_ns() - last_flush < FLUSH_NS) continue;
        write_all(report_fd, pending.data, pending.len);
        pending.len = 0;
        for (; unacked > 0; unacked--)
            if (wait_for_ack(ack_fd, sfd) != 0) return 130;
        last_flush = now_ns();
    }
    free(pending.data);
    return 0;
}
