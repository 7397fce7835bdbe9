/* The smallest honest workload: start, print one line, exit.
 * Built twice from this one source: hello.wasm (wasm32-wasi) and hello (static native). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    /* "exit N" lets tests check that exit codes survive every runtime. */
    if (argc > 2 && strcmp(argv[1], "exit") == 0) {
        return atoi(argv[2]);
    }
    printf("Hello from a Wasm container!\n");
    return 0;
}
