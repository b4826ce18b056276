/*
 * cca-emu sample images: a tiny freestanding libc subset.
 * PL011 output, printf-style formatting, string functions, semihosting,
 * exit() and the default (unexpected) exception handlers.
 */
#include "cca.h"

/* ---- PL011 UART ----------------------------------------------------- */

void uart_putc(char c)
{
    volatile uint32_t *fr = (volatile uint32_t *)(UART_BASE + UART_FR);
    volatile uint32_t *dr = (volatile uint32_t *)(UART_BASE + UART_DR);
    /* Wait while the TX FIFO is full, but not forever: a board without a
     * UART at UART_BASE (reads as all-ones) must not hang the image. */
    for (unsigned spins = 0; (*fr & UART_FR_TXFF) && spins < 100000; spins++)
        ;
    *dr = (uint32_t)(unsigned char)c;
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

int puts(const char *s)
{
    uart_puts(s);
    uart_putc('\n');
    return 0;
}

/* ---- formatting ----------------------------------------------------- */

struct sink {
    char *buf; /* NULL: write to the UART */
    size_t cap;
    size_t len;
};

static void sink_put(struct sink *s, char c)
{
    if (!s->buf)
        uart_putc(c);
    else if (s->len + 1 < s->cap)
        s->buf[s->len] = c;
    s->len++;
}

static void sink_pad(struct sink *s, char c, int n)
{
    while (n-- > 0)
        sink_put(s, c);
}

static int do_format(struct sink *s, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            sink_put(s, *fmt);
            continue;
        }
        fmt++;
        int left = 0, zero = 0, width = 0, lng = 0;
        for (;; fmt++) {
            if (*fmt == '-')
                left = 1;
            else if (*fmt == '0')
                zero = 1;
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        for (;; fmt++) {
            if (*fmt == 'l' || *fmt == 'z')
                lng = 1;
            else if (*fmt != 'h')
                break;
        }
        char tmp[24];
        const char *str = tmp;
        int len = 0, neg = 0;
        uint64_t v;
        unsigned base = 10;
        int upper = 0;
        switch (*fmt) {
        case '\0':
            return (int)s->len;
        case '%':
            sink_put(s, '%');
            continue;
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            len = 1;
            zero = 0;
            break;
        case 's':
            str = va_arg(ap, const char *);
            if (!str)
                str = "(null)";
            len = (int)strlen(str);
            zero = 0;
            break;
        case 'd':
        case 'i': {
            int64_t sv = lng ? va_arg(ap, long) : va_arg(ap, int);
            if (sv < 0) {
                neg = 1;
                v = (uint64_t)0 - (uint64_t)sv;
            } else {
                v = (uint64_t)sv;
            }
            goto number;
        }
        case 'p':
            v = (uint64_t)(uintptr_t)va_arg(ap, void *);
            base = 16;
            sink_put(s, '0');
            sink_put(s, 'x');
            width -= 2;
            goto number;
        case 'X':
            upper = 1;
            /* fall through */
        case 'x':
            base = 16;
            /* fall through */
        case 'u':
            v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
        number: {
            const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
            int i = (int)sizeof(tmp);
            do {
                tmp[--i] = digits[v % base];
                v /= base;
            } while (v);
            str = tmp + i;
            len = (int)sizeof(tmp) - i;
            break;
        }
        default:
            /* unknown conversion: print it verbatim */
            sink_put(s, '%');
            sink_put(s, *fmt);
            continue;
        }
        int pad = width - len - neg;
        if (!left && !zero)
            sink_pad(s, ' ', pad);
        if (neg)
            sink_put(s, '-');
        if (!left && zero)
            sink_pad(s, '0', pad);
        for (int i = 0; i < len; i++)
            sink_put(s, str[i]);
        if (left)
            sink_pad(s, ' ', pad);
    }
    return (int)s->len;
}

int vprintf(const char *fmt, va_list ap)
{
    struct sink s = {0, 0, 0};
    return do_format(&s, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink s = {buf, size, 0};
    int n = do_format(&s, fmt, ap);
    if (size)
        buf[s.len < size ? s.len : size - 1] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- string.h ------------------------------------------------------- */

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(uint64_t *)d = *(const uint64_t *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    if (((uintptr_t)d & 7) == 0) {
        uint64_t v = (unsigned char)c;
        v |= v << 8;
        v |= v << 16;
        v |= v << 32;
        for (; n >= 8; n -= 8, d += 8)
            *(uint64_t *)d = v;
    }
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

/* ---- semihosting ---------------------------------------------------- */

void semihost_writec(char c)
{
    semihost_call(SYS_WRITEC, &c);
}

void semihost_write0(const char *s)
{
    semihost_call(SYS_WRITE0, s);
}

long semihost_write(int fd, const void *buf, size_t len)
{
    uint64_t block[3] = {(uint64_t)fd, (uint64_t)(uintptr_t)buf, len};
    return semihost_call(SYS_WRITE, block);
}

void exit(int status)
{
    uint64_t block[2] = {ADP_Stopped_ApplicationExit, (uint64_t)(int64_t)status};
    semihost_call(SYS_EXIT_EXTENDED, block);
    /* SYS_EXIT_EXTENDED unsupported: fall back to SYS_EXIT (status 0/1). */
    semihost_call(SYS_EXIT, (const void *)(uintptr_t)(
        status == 0 ? ADP_Stopped_ApplicationExit : ADP_Stopped_RunTimeErrorUnknown));
    for (;;)
        __asm__ volatile("wfi");
}

/* ---- default exception handlers --------------------------------------- */

void exc_unexpected(struct exc_frame *f, unsigned vec, unsigned el)
{
    printf("unexpected exception at EL%u: vector %u esr=0x%lx elr=0x%lx far=0x%lx spsr=0x%lx\n",
           el, vec, (unsigned long)f->esr, (unsigned long)f->elr,
           (unsigned long)f->far, (unsigned long)f->spsr);
    exit((int)(100 + el));
}

__attribute__((weak)) void exc_handler_el1(struct exc_frame *f, unsigned vec)
{
    exc_unexpected(f, vec, 1);
}

__attribute__((weak)) void exc_handler_el2(struct exc_frame *f, unsigned vec)
{
    exc_unexpected(f, vec, 2);
}

__attribute__((weak)) void exc_handler_el3(struct exc_frame *f, unsigned vec)
{
    exc_unexpected(f, vec, 3);
}
