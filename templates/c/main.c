// {{name}}: the same C program builds as a WASI module (clang --target=wasm32-wasi) and as its
// static native twin (gcc -static), so that the two containers do exactly the same work.
#include <stdio.h>

int main(int argc, char **argv) {
  printf("Hello from {{name}}!\n");
  return 0;
}
