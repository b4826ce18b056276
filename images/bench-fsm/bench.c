/*
 * bench-fsm: tokenizing a generated C-like text with state machines.
 *
 * Each round generates TEXT_SIZE bytes of identifiers, keywords, decimal
 * and hex numbers, strings with escapes, operators, punctuation and line /
 * block comments, separated by blanks and newlines, recording what it wrote.
 * Two independent tokenizers scan it: a table-driven DFA (character classes
 * x states, with emit-and-restart transitions) and a hand-written switch
 * scanner. Token counts per kind, a hash of the (kind, length) sequence,
 * the sums of the number values and the line count must agree three ways.
 */
#include "bench.h"

#define FULL_ITERATIONS 41
#define QUICK_ITERATIONS 2
/* Verified with the host build (gcc x86-64) and qemu-aarch64. */
#define EXPECTED_FULL 0x19d48f2cu
#define EXPECTED_QUICK 0xee83a84du

#ifndef ITERATIONS
#ifdef BENCH_QUICK
#define ITERATIONS QUICK_ITERATIONS
#else
#define ITERATIONS FULL_ITERATIONS
#endif
#endif

#define TEXT_SIZE 32768
#define TOKEN_MAX 64 /* longest token the generator writes (+ separator) */

const char bench_name[] = "fsm";

enum kind { K_IDENT, K_KEYWORD, K_NUMBER, K_HEX, K_STRING, K_OP, K_PUNCT,
            K_COMMENT, K_ERROR, NKINDS };

struct tally {
    uint32_t count[NKINDS];
    uint32_t hash;    /* mix32 over (kind << 24 | length) in order */
    uint32_t dec_sum; /* sum of decimal values mod 2^32 */
    uint32_t hex_sum; /* sum of hex values mod 2^32 */
    uint32_t lines;
};

static char text[TEXT_SIZE + TOKEN_MAX];

static const char *const keywords[] = {
    "if", "else", "while", "for", "return", "int", "char", "void",
    "struct", "static", "const", "unsigned", "break", "switch", "case", "do",
};
#define NKEYWORDS (sizeof keywords / sizeof keywords[0])

static const char *const operators[] = {
    "+", "-", "*", "/", "%", "=", "==", "!", "!=", "<", "<=", ">", ">=",
    "&", "&&", "|", "||", "^", "~",
};
#define NOPERATORS (sizeof operators / sizeof operators[0])

static const char puncts[] = "(){}[];,.";

static void tally_token(struct tally *t, enum kind k, uint32_t len)
{
    t->count[k]++;
    t->hash = mix32(t->hash, ((uint32_t)k << 24) | len);
}

static unsigned str_len(const char *s)
{
    unsigned n = 0;
    while (s[n])
        n++;
    return n;
}

static int str_eq(const char *a, unsigned n, const char *b)
{
    for (unsigned i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return b[n] == 0;
}

/* ---- generator ----------------------------------------------------------- */

static const char ident_first[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
static const char ident_rest[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
static const char hexdig[] = "0123456789abcdefABCDEF";
static const char plain[] = /* string / comment body characters */
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-=:;.,()";

static unsigned generate(uint32_t *seed, struct tally *t)
{
    unsigned pos = 0;
    while (pos < TEXT_SIZE) {
        char *p = &text[pos];
        unsigned len = 0;
        uint32_t r = xs32(seed);
        enum kind k;
        switch (r % 16) {
        case 0: case 1: case 2: case 3: { /* identifier, never a keyword */
            unsigned n = 1 + (r >> 4) % 12;
            p[len++] = ident_first[(r >> 8) % (sizeof ident_first - 1)];
            for (unsigned i = 1; i < n; i++)
                p[len++] = ident_rest[xs32(seed) % (sizeof ident_rest - 1)];
            for (unsigned i = 0; i < NKEYWORDS; i++)
                if (str_eq(p, len, keywords[i]))
                    p[len++] = '_';
            k = K_IDENT;
            break;
        }
        case 4: case 5: { /* keyword */
            const char *kw = keywords[(r >> 4) % NKEYWORDS];
            for (; kw[len]; len++)
                p[len] = kw[len];
            k = K_KEYWORD;
            break;
        }
        case 6: { /* decimal */
            uint32_t v = xs32(seed) >> ((r >> 4) % 32);
            char digits[12];
            unsigned n = 0;
            do {
                digits[n++] = (char)('0' + v % 10);
                v /= 10;
            } while (v);
            uint32_t value = 0;
            while (n) {
                char d = digits[--n];
                p[len++] = d;
                value = value * 10 + (uint32_t)(d - '0');
            }
            t->dec_sum += value;
            k = K_NUMBER;
            break;
        }
        case 7: { /* hex */
            unsigned n = 1 + (r >> 4) % 8;
            uint32_t value = 0;
            p[len++] = '0';
            p[len++] = (r & 0x100000) ? 'X' : 'x';
            for (unsigned i = 0; i < n; i++) {
                unsigned d = xs32(seed) % 22;
                p[len++] = hexdig[d];
                value = (value << 4) | (d < 16 ? d : d - 6);
            }
            t->hex_sum += value;
            k = K_HEX;
            break;
        }
        case 8: { /* string with escapes */
            unsigned n = (r >> 4) % 24;
            p[len++] = '"';
            for (unsigned i = 0; i < n; i++) {
                uint32_t c = xs32(seed);
                if (c % 11 == 0) {
                    p[len++] = '\\';
                    p[len++] = "\"\\nt"[(c >> 8) % 4];
                } else {
                    p[len++] = plain[(c >> 8) % (sizeof plain - 1)];
                }
            }
            p[len++] = '"';
            k = K_STRING;
            break;
        }
        case 9: case 10: case 11: { /* operator */
            const char *op = operators[(r >> 4) % NOPERATORS];
            for (; op[len]; len++)
                p[len] = op[len];
            k = K_OP;
            break;
        }
        case 12: case 13: case 14:
            p[len++] = puncts[(r >> 4) % (sizeof puncts - 1)];
            k = K_PUNCT;
            break;
        default: { /* comment */
            unsigned n = (r >> 5) % 40;
            int line = (r >> 4) & 1;
            p[len++] = '/';
            p[len++] = line ? '/' : '*';
            for (unsigned i = 0; i < n; i++) {
                uint32_t c = xs32(seed);
                p[len++] = (!line && c % 13 == 0) ? '*'
                                                  : plain[(c >> 8) % (sizeof plain - 1)];
            }
            if (!line) {
                p[len++] = '*';
                p[len++] = '/';
            }
            k = K_COMMENT;
            /* a line comment must be followed by a newline */
            if (line) {
                tally_token(t, k, len);
                p[len++] = '\n';
                t->lines++;
                pos += len;
                continue;
            }
            break;
        }
        }
        tally_token(t, k, len);
        uint32_t s = xs32(seed) % 16;
        if (s < 9) {
            p[len++] = ' ';
        } else if (s < 12) {
            p[len++] = '\n';
            t->lines++;
        } else if (s < 14) {
            p[len++] = '\t';
        } else {
            p[len++] = ' ';
            p[len++] = ' ';
            p[len++] = ' ';
        }
        pos += len;
    }
    return pos;
}

/* ---- tokenizer 1: table-driven DFA --------------------------------------- */

enum cclass { C_WS, C_NL, C_ALPHA, C_HEXALPHA, C_X, C_ZERO, C_DIGIT, C_QUOTE,
              C_BSLASH, C_SLASH, C_STAR, C_EQ, C_CMP, C_AMP, C_PIPE, C_OPS,
              C_PUNCT, C_OTHER, NCLASSES };

enum state { S_START, S_IDENT, S_ZERO, S_NUM, S_HEXX, S_HEX, S_STR, S_STRESC,
             S_STREND, S_SLASH, S_LCOMM, S_BCOMM, S_BSTAR, S_BEND, S_OP,
             S_OPEQ, S_AMP, S_PIPE, S_OP2, S_PUNCT, S_ERR, NSTATES };

/* entry: next state in bits 0-7, (kind + 1) of the token ended here in 8-15 */
static uint16_t dfa[NSTATES][NCLASSES];
static uint8_t cclass_of[256];

#define EMIT(k) ((uint16_t)(((k) + 1) << 8))

static void dfa_init(void)
{
    for (unsigned c = 0; c < 256; c++)
        cclass_of[c] = C_OTHER;
    for (unsigned c = 'a'; c <= 'z'; c++)
        cclass_of[c] = C_ALPHA;
    for (unsigned c = 'A'; c <= 'Z'; c++)
        cclass_of[c] = C_ALPHA;
    for (unsigned c = 'a'; c <= 'f'; c++)
        cclass_of[c] = cclass_of[c - 'a' + 'A'] = C_HEXALPHA;
    cclass_of['_'] = C_ALPHA;
    cclass_of['x'] = cclass_of['X'] = C_X;
    cclass_of['0'] = C_ZERO;
    for (unsigned c = '1'; c <= '9'; c++)
        cclass_of[c] = C_DIGIT;
    cclass_of[' '] = cclass_of['\t'] = C_WS;
    cclass_of['\n'] = C_NL;
    cclass_of['"'] = C_QUOTE;
    cclass_of['\\'] = C_BSLASH;
    cclass_of['/'] = C_SLASH;
    cclass_of['*'] = C_STAR;
    cclass_of['='] = C_EQ;
    cclass_of['!'] = cclass_of['<'] = cclass_of['>'] = C_CMP;
    cclass_of['&'] = C_AMP;
    cclass_of['|'] = C_PIPE;
    cclass_of['+'] = cclass_of['-'] = cclass_of['%'] = C_OPS;
    cclass_of['^'] = cclass_of['~'] = C_OPS;
    for (const char *p = puncts; *p; p++)
        cclass_of[(unsigned char)*p] = C_PUNCT;

    /* where a token starting with a character of each class goes */
    static const uint8_t start[NCLASSES] = {
        [C_WS] = S_START, [C_NL] = S_START, [C_ALPHA] = S_IDENT,
        [C_HEXALPHA] = S_IDENT, [C_X] = S_IDENT, [C_ZERO] = S_ZERO,
        [C_DIGIT] = S_NUM, [C_QUOTE] = S_STR, [C_BSLASH] = S_ERR,
        [C_SLASH] = S_SLASH, [C_STAR] = S_OP, [C_EQ] = S_OPEQ,
        [C_CMP] = S_OPEQ, [C_AMP] = S_AMP, [C_PIPE] = S_PIPE, [C_OPS] = S_OP,
        [C_PUNCT] = S_PUNCT, [C_OTHER] = S_ERR,
    };
    /* token kind emitted when a state is left by a non-continuing char */
    static const uint8_t ends_as[NSTATES] = {
        [S_IDENT] = K_IDENT, [S_ZERO] = K_NUMBER, [S_NUM] = K_NUMBER,
        [S_HEXX] = K_ERROR, [S_HEX] = K_HEX, [S_STR] = K_ERROR,
        [S_STRESC] = K_ERROR, [S_STREND] = K_STRING, [S_SLASH] = K_OP,
        [S_LCOMM] = K_COMMENT, [S_BCOMM] = K_ERROR, [S_BSTAR] = K_ERROR,
        [S_BEND] = K_COMMENT, [S_OP] = K_OP, [S_OPEQ] = K_OP, [S_AMP] = K_OP,
        [S_PIPE] = K_OP, [S_OP2] = K_OP, [S_PUNCT] = K_PUNCT,
        [S_ERR] = K_ERROR,
    };
    for (unsigned s = 0; s < NSTATES; s++)
        for (unsigned c = 0; c < NCLASSES; c++)
            dfa[s][c] = s == S_START ? start[c] : (EMIT(ends_as[s]) | start[c]);

#define CONT(s, c, n) dfa[s][c] = (n)
    CONT(S_IDENT, C_ALPHA, S_IDENT);
    CONT(S_IDENT, C_HEXALPHA, S_IDENT);
    CONT(S_IDENT, C_X, S_IDENT);
    CONT(S_IDENT, C_ZERO, S_IDENT);
    CONT(S_IDENT, C_DIGIT, S_IDENT);
    CONT(S_ZERO, C_X, S_HEXX);
    CONT(S_ZERO, C_ZERO, S_NUM);
    CONT(S_ZERO, C_DIGIT, S_NUM);
    CONT(S_NUM, C_ZERO, S_NUM);
    CONT(S_NUM, C_DIGIT, S_NUM);
    CONT(S_HEXX, C_ZERO, S_HEX);
    CONT(S_HEXX, C_DIGIT, S_HEX);
    CONT(S_HEXX, C_HEXALPHA, S_HEX);
    CONT(S_HEX, C_ZERO, S_HEX);
    CONT(S_HEX, C_DIGIT, S_HEX);
    CONT(S_HEX, C_HEXALPHA, S_HEX);
    for (unsigned c = 0; c < NCLASSES; c++) {
        CONT(S_STR, c, S_STR);
        CONT(S_STRESC, c, S_STR);
        CONT(S_LCOMM, c, S_LCOMM);
        CONT(S_BCOMM, c, S_BCOMM);
        CONT(S_BSTAR, c, S_BCOMM);
    }
    CONT(S_STR, C_QUOTE, S_STREND);
    CONT(S_STR, C_BSLASH, S_STRESC);
    CONT(S_STR, C_NL, EMIT(K_ERROR) | S_START);
    dfa[S_LCOMM][C_NL] = EMIT(K_COMMENT) | S_START;
    CONT(S_BCOMM, C_STAR, S_BSTAR);
    CONT(S_BSTAR, C_STAR, S_BSTAR);
    CONT(S_BSTAR, C_SLASH, S_BEND);
    CONT(S_SLASH, C_SLASH, S_LCOMM);
    CONT(S_SLASH, C_STAR, S_BCOMM);
    CONT(S_OPEQ, C_EQ, S_OP2);
    CONT(S_AMP, C_AMP, S_OP2);
    CONT(S_PIPE, C_PIPE, S_OP2);
#undef CONT
}

/* keyword lookup for the DFA: open hashing on (length, first, last) */
static uint8_t kw_slot[64]; /* keyword index + 1, 0 = empty */

static unsigned kw_hash(const char *s, unsigned n)
{
    return ((unsigned)(unsigned char)s[0] * 7 + (unsigned)(unsigned char)s[n - 1] * 3 + n) & 63;
}

static void kw_init(void)
{
    for (unsigned i = 0; i < 64; i++)
        kw_slot[i] = 0;
    for (unsigned i = 0; i < NKEYWORDS; i++) {
        unsigned h = kw_hash(keywords[i], str_len(keywords[i]));
        while (kw_slot[h])
            h = (h + 1) & 63;
        kw_slot[h] = (uint8_t)(i + 1);
    }
}

static int kw_lookup(const char *s, unsigned n)
{
    for (unsigned h = kw_hash(s, n); kw_slot[h]; h = (h + 1) & 63)
        if (str_eq(s, n, keywords[kw_slot[h] - 1]))
            return 1;
    return 0;
}

static void dfa_emit(struct tally *t, unsigned k, const char *s, unsigned n)
{
    if (k == K_IDENT && kw_lookup(s, n))
        k = K_KEYWORD;
    if (k == K_NUMBER) {
        uint32_t v = 0;
        for (unsigned i = 0; i < n; i++)
            v = v * 10 + (uint32_t)(s[i] - '0');
        t->dec_sum += v;
    } else if (k == K_HEX) {
        uint32_t v = 0;
        for (unsigned i = 2; i < n; i++) {
            unsigned c = (unsigned char)s[i];
            v = (v << 4) | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        t->hex_sum += v;
    }
    tally_token(t, (enum kind)k, n);
}

static void scan_dfa(const char *s, unsigned len, struct tally *t)
{
    unsigned state = S_START, start = 0;
    for (unsigned pos = 0; pos < len; pos++) {
        unsigned cls = cclass_of[(unsigned char)s[pos]];
        unsigned e = dfa[state][cls];
        t->lines += cls == C_NL;
        if (e >> 8)
            dfa_emit(t, (e >> 8) - 1, s + start, pos - start);
        unsigned next = e & 0xff;
        if ((state == S_START || (e >> 8)) && next != S_START)
            start = pos;
        state = next;
    }
    if (state != S_START) {
        unsigned e = dfa[state][C_NL];
        dfa_emit(t, (e >> 8) - 1, s + start, len - start);
    }
}

/* ---- tokenizer 2: hand-written scanner ----------------------------------- */

static int is_ident(unsigned c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (c >= '0' && c <= '9');
}

static int is_hex(unsigned c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static int keyword_switch(const char *s, unsigned n)
{
#define M2(a, b) (s[0] == a && s[1] == b)
    switch (n) {
    case 2:
        return M2('i', 'f') || M2('d', 'o');
    case 3:
        return (M2('f', 'o') && s[2] == 'r') || (M2('i', 'n') && s[2] == 't');
    case 4:
        return str_eq(s, 4, "else") || str_eq(s, 4, "char") ||
               str_eq(s, 4, "void") || str_eq(s, 4, "case");
    case 5:
        return str_eq(s, 5, "while") || str_eq(s, 5, "const") ||
               str_eq(s, 5, "break");
    case 6:
        return str_eq(s, 6, "return") || str_eq(s, 6, "struct") ||
               str_eq(s, 6, "static") || str_eq(s, 6, "switch");
    case 8:
        return str_eq(s, 8, "unsigned");
    default:
        return 0;
    }
#undef M2
}

static void scan_switch(const char *s, unsigned len, struct tally *t)
{
    unsigned i = 0;
    while (i < len) {
        unsigned c = (unsigned char)s[i], st = i;
        enum kind k;
        if (c == ' ' || c == '\t') {
            i++;
            continue;
        }
        if (c == '\n') {
            t->lines++;
            i++;
            continue;
        }
        if (is_ident(c) && !(c >= '0' && c <= '9')) {
            while (i < len && is_ident((unsigned char)s[i]))
                i++;
            k = keyword_switch(s + st, i - st) ? K_KEYWORD : K_IDENT;
        } else if (c == '0' && i + 1 < len && (s[i + 1] | 0x20) == 'x') {
            uint32_t v = 0;
            i += 2;
            k = (i < len && is_hex((unsigned char)s[i])) ? K_HEX : K_ERROR;
            while (i < len && is_hex((unsigned char)s[i])) {
                unsigned d = (unsigned char)s[i++];
                v = v * 16 + (d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
            }
            t->hex_sum += v;
        } else if (c >= '0' && c <= '9') {
            uint32_t v = 0;
            while (i < len && s[i] >= '0' && s[i] <= '9')
                v = v * 10 + (uint32_t)(s[i++] - '0');
            t->dec_sum += v;
            k = K_NUMBER;
        } else if (c == '"') {
            k = K_ERROR;
            for (i++; i < len && s[i] != '\n'; i++) {
                if (s[i] == '\\') {
                    i++;
                } else if (s[i] == '"') {
                    i++;
                    k = K_STRING;
                    break;
                }
            }
        } else if (c == '/' && i + 1 < len && s[i + 1] == '/') {
            while (i < len && s[i] != '\n')
                i++;
            k = K_COMMENT;
        } else if (c == '/' && i + 1 < len && s[i + 1] == '*') {
            k = K_ERROR;
            for (i += 2; i < len; i++) {
                if (s[i] == '*' && i + 1 < len && s[i + 1] == '/') {
                    i += 2;
                    k = K_COMMENT;
                    break;
                }
            }
        } else {
            unsigned n = i + 1 < len ? (unsigned char)s[i + 1] : 0;
            k = K_OP;
            switch (c) {
            case '=': case '!': case '<': case '>':
                i += n == '=' ? 2 : 1;
                break;
            case '&': case '|':
                i += n == c ? 2 : 1;
                break;
            case '+': case '-': case '*': case '/': case '%': case '^': case '~':
                i++;
                break;
            case '(': case ')': case '{': case '}': case '[': case ']':
            case ';': case ',': case '.':
                i++;
                k = K_PUNCT;
                break;
            default:
                i++;
                k = K_ERROR;
                break;
            }
        }
        tally_token(t, k, i - st);
    }
}

static int tally_eq(const struct tally *a, const struct tally *b)
{
    for (unsigned k = 0; k < NKINDS; k++)
        if (a->count[k] != b->count[k])
            return 0;
    return a->hash == b->hash && a->dec_sum == b->dec_sum &&
           a->hex_sum == b->hex_sum && a->lines == b->lines;
}

int bench_run(struct bench_result *r)
{
    uint32_t seed = 0x5EED1234u, h = 0;
    int bad = 0;
    dfa_init();
    kw_init();

    for (unsigned it = 0; it < ITERATIONS; it++) {
        struct tally gen, t1, t2;
        memset(&gen, 0, sizeof gen);
        memset(&t1, 0, sizeof t1);
        memset(&t2, 0, sizeof t2);
        unsigned len = generate(&seed, &gen);
        scan_dfa(text, len, &t1);
        scan_switch(text, len, &t2);
        if (!tally_eq(&gen, &t1))
            bad |= 1;
        if (!tally_eq(&gen, &t2))
            bad |= 2;
        if (t1.count[K_ERROR] || t2.count[K_ERROR])
            bad |= 4;
        h = mix32(h, t1.hash);
        h = mix32(h, t1.dec_sum ^ t1.hex_sum);
        h = mix32(h, t1.lines);
        for (unsigned k = 0; k < NKINDS; k++)
            h = mix32(h, t1.count[k]);
    }
    if (bad)
        printf("bench-fsm: self-check failed (0x%x)\n", (unsigned)bad);

    bad |= BENCH_CHECK(h);
    r->words[0] = h;
    r->nwords = 1;
    return bad;
}
