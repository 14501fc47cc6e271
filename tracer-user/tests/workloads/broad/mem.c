/* Fidelity workload c-broad-mem (issue 19's broad corpus, cargo xtask fidelity): mmap,
 * mprotect, madvise, mlock2, mremap, membarrier, pkeys, with valid, invalid and NULL
 * arguments. */
#include "common.h"
#include <sys/mman.h>
#include <linux/membarrier.h>
int main(){
 void*p=(void*)S(SYS_mmap,NULL,8192,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0);
 S(SYS_mmap,NULL,0,PROT_NONE,MAP_SHARED,-1,0);
 S(SYS_mmap,BAD,4096,0xffffffff,0xffffffff,0xffffffff,4096);
 S(SYS_mmap,NULL,4096,PROT_READ|PROT_EXEC|0x8,MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE|MAP_NORESERVE|MAP_STACK,-1,0);
 S(SYS_mprotect,p,4096,PROT_READ); S(SYS_mprotect,BAD,1,0xff); S(SYS_mprotect,p,4096,PROT_GROWSDOWN|PROT_READ);
 S(SYS_madvise,p,4096,MADV_DONTNEED); S(SYS_madvise,p,4096,MADV_HUGEPAGE); S(SYS_madvise,p,4096,MADV_COLD);
 S(SYS_madvise,p,4096,12345); S(SYS_madvise,NULL,0,MADV_PAGEOUT);
 S(SYS_mlock,p,4096); S(SYS_mlock2,p,4096,MLOCK_ONFAULT); S(SYS_mlock2,p,4096,0xffffffff);
 S(SYS_munlock,p,4096); S(SYS_mlockall,MCL_CURRENT|MCL_ONFAULT); S(SYS_munlockall); S(SYS_mlockall,0xff);
 S(SYS_mremap,p,8192,16384,MREMAP_MAYMOVE); S(SYS_mremap,BAD,1,2,0xff,NULL);
 S(SYS_msync,p,4096,MS_SYNC|MS_INVALIDATE); S(SYS_msync,p,1,0xff);
 unsigned char v[4]; S(SYS_mincore,p,4096,v); S(SYS_mincore,p,4096,NULL);
 S(SYS_membarrier,MEMBARRIER_CMD_QUERY,0,0); S(SYS_membarrier,MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,0,0);
 S(SYS_membarrier,0xffffffff,0xffffffff,0);
 S(SYS_brk,NULL); S(SYS_brk,BAD);
 S(SYS_pkey_alloc,0,PKEY_DISABLE_WRITE); S(SYS_pkey_alloc,0xff,0xff); S(SYS_pkey_free,-1);
 S(SYS_pkey_mprotect,p,4096,PROT_READ,-1);
 S(SYS_remap_file_pages,p,4096,0,0,0);
 S(SYS_process_madvise,-1,NULL,0,MADV_COLD,0);
 S(SYS_mbind,p,4096,0,NULL,0,0); S(SYS_set_mempolicy,0xff,NULL,0); int mode; S(SYS_get_mempolicy,&mode,NULL,0,NULL,0);
 S(SYS_munmap,p,8192); S(SYS_munmap,BAD,0);
 return 0;}
