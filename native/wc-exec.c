/*
 * wc-exec: runs one command and reports, as JSON on a file descriptor, what hyperfine and
 * `/usr/bin/time -f %M` would measure: wall time from just before fork to the child's exit
 * (CLOCK_MONOTONIC), its rusage from wait4 (peak RSS of the child: ru_maxrss, user and system
 * time), plus when each chunk of stdout arrived, so that marker lines can be timed exactly.
 *
 * Node cannot call wait4 for its children; polling /proc would miss the peak of short runs.
 *
 *   wc-exec [--report-fd N] [--quiet] -- PROGRAM [ARGS...]
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

int main(int argc, char **argv) {
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
