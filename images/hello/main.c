/*
 * hello: PL011 UART output, semihosting console output (SYS_WRITE0,
 * SYS_WRITE, SYS_WRITEC) and exit through SYS_EXIT_EXTENDED.
 * Works at EL1, EL2 and EL3 with the MMU off.
 */
#include "cca.h"

int main(void)
{
    uart_puts("Hello from cca-emu!\n");
    printf("running at EL%u\n", current_el());

    semihost_write0("Hello via semihosting SYS_WRITE0\n");

    static const char msg[] = "Hello via semihosting SYS_WRITE\n";
    long left = semihost_write(1, msg, sizeof msg - 1);

    for (const char *p = "Hello via semihosting SYS_WRITEC\n"; *p; p++)
        semihost_writec(*p);

    if (left != 0) {
        printf("SYS_WRITE left %ld bytes unwritten\n", left);
        return 1;
    }
    return 0;
}
