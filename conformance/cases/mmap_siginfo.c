/* What the fault signals of file mappings carry: si_code and si_addr. */
#include <signal.h>
#include <sys/mman.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

static void store_one(void *at)
{
    *(volatile char *)at = 1;
}

static void load_one(void *at)
{
    (void)*(volatile char *)at;
}

/* Expects fn(at) to raise signo with si_code `code` and si_addr == at. */
static void expect_fault(void (*fn)(void *), void *at, int signo, int code)
{
    struct cf_fault f = CF_CATCH_FAULT(fn, at);
    CF_EXPECT_EQ(f.signo, signo);
    CF_EXPECT_EQ(f.code, code);
    CF_EXPECT(f.addr == at, "si_addr %p, expected %p", f.addr, at);
}

CF_CASE(mmap, write_protect_fault_segv_accerr,
        "a store into a PROT_READ mapping raises SIGSEGV with si_code SEGV_ACCERR and si_addr "
        "the faulting address",
        "POSIX.1-2017 <signal.h> (SEGV_ACCERR: invalid permissions for mapped object); "
        "sigaction(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(2 * page, NULL);
    char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
    expect_fault(store_one, p + page + 3, SIGSEGV, SEGV_ACCERR);
}

CF_CASE(mmap, unmapped_fault_segv_maperr,
        "touching an unmapped page raises SIGSEGV with si_code SEGV_MAPERR and si_addr the "
        "faulting address",
        "POSIX.1-2017 <signal.h> (SEGV_MAPERR: address not mapped to object); sigaction(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    SAFE_MUNMAP(p, page);
    expect_fault(load_one, p + 7, SIGSEGV, SEGV_MAPERR);
}

CF_CASE(mmap, past_eof_fault_bus_adrerr,
        "touching a whole page past end of file raises SIGBUS with si_code BUS_ADRERR and "
        "si_addr the faulting address",
        "POSIX.1-2017 <signal.h> (BUS_ADRERR: nonexistent physical address); sigaction(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    expect_fault(load_one, p + page + 5, SIGBUS, BUS_ADRERR);
    expect_fault(store_one, p + page + 6, SIGBUS, BUS_ADRERR);
}
