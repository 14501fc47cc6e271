/* Failing calls whose buffers lie in .rodata pages the process never touched: the kernel
 * refuses the fd before it reads them, so nothing faults the pages in before the call ends
 * (the eBPF capture cannot; strace's process_vm_readv does). Then it waits for stdin's end,
 * so that it is still alive when tracer reads the records. */
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

/* Each in a page of its own, none of them read by the program itself. */
__attribute__((aligned(4096))) static const char w[4096] = "written to no fd";
__attribute__((aligned(4096))) static const char s[4096] = "sent to no socket";
__attribute__((aligned(4096))) static const char p[4096] = "relative/faulted";

int main(void) {
    write(-1, w, 16);
    sendto(-1, s, 17, 0, 0, 0);
    pwrite(-1, w + 1, 5, 0);
    openat(-1, p, O_RDONLY);
    char c;
    while (read(0, &c, 1) > 0) {
    }
    return 0;
}
