/* The smallest honest workload, built twice from this one source: hello.wasm (wasm32-wasi) and
 * hello (static native).
 *   hello              print one line and exit
 *   hello exit N       exit with status N (exit codes must survive every runtime)
 *   hello sleep S      print "Starting", sleep S seconds, print "Stopped" (marker lines for phase
 *                      splits; long-lived instances for density and cancellation tests)
 *   hello cat PATH     print a file (mapped directories must work under every runtime);
 *                      `hello cat -` prints its standard input (stdin must reach the guest too)
 *   hello env NAME     print an environment variable (environment passing must work too)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "exit") == 0) {
        return atoi(argv[2]);
    }
    if (argc > 2 && strcmp(argv[1], "sleep") == 0) {
        double seconds = atof(argv[2]);
        struct timespec ts = {(time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9)};
        printf("Starting\n");
        fflush(stdout);
        nanosleep(&ts, NULL);
        printf("Stopped\n");
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "cat") == 0) {
        int from_stdin = strcmp(argv[2], "-") == 0;
        FILE *f = from_stdin ? stdin : fopen(argv[2], "r");
        if (!f) {
            perror(argv[2]);
            return 1;
        }
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
        if (!from_stdin) fclose(f);
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "env") == 0) {
        const char *value = getenv(argv[2]);
        if (!value) return 1;
        printf("%s\n", value);
        return 0;
    }
    printf("Hello from a Wasm container!\n");
    return 0;
}
