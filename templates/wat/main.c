// The native twin of main.wat: the same output, as a static binary (gcc -static main.c -o {{name}}).
#include <unistd.h>

int main(void) {
  static const char text[] = "{{greeting}}\n";
  write(1, text, sizeof text - 1);
  return 0;
}
