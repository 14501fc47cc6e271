/* Fidelity workload c-broad-keys (issue 19's broad corpus, cargo xtask fidelity): add_key,
 * request_key, keyctl, with valid, invalid and NULL arguments. */
#include "common.h"
#include <linux/keyctl.h>
int main(){
 long k=S(SYS_add_key,"user","t9:key","secret",6,KEY_SPEC_PROCESS_KEYRING); S(SYS_add_key,"user",NULL,NULL,0,KEY_SPEC_THREAD_KEYRING); S(SYS_add_key,BAD,"x",BAD,0xffffffff,0xffffffff);
 S(SYS_request_key,"user","t9:key",NULL,KEY_SPEC_PROCESS_KEYRING); S(SYS_request_key,"user","t9:none","callout",0); S(SYS_request_key,NULL,NULL,NULL,-12345);
 char b[128]; S(SYS_keyctl,KEYCTL_GET_KEYRING_ID,KEY_SPEC_SESSION_KEYRING,1); S(SYS_keyctl,KEYCTL_DESCRIBE,k,b,sizeof b); S(SYS_keyctl,KEYCTL_READ,k,b,sizeof b); S(SYS_keyctl,KEYCTL_READ,k,NULL,0);
 S(SYS_keyctl,KEYCTL_SETPERM,k,0x3f3f0000); S(SYS_keyctl,KEYCTL_SET_TIMEOUT,k,100); S(SYS_keyctl,KEYCTL_UPDATE,k,"new",3); S(SYS_keyctl,KEYCTL_SEARCH,KEY_SPEC_PROCESS_KEYRING,"user","t9:key",0);
 S(SYS_keyctl,KEYCTL_CHOWN,k,-1,-1); S(SYS_keyctl,KEYCTL_INVALIDATE,k); S(SYS_keyctl,KEYCTL_REVOKE,-1); S(SYS_keyctl,0xffff,1,2,3,4); S(SYS_keyctl,KEYCTL_JOIN_SESSION_KEYRING,NULL);
 S(SYS_keyctl,KEYCTL_GET_SECURITY,k,b,10); S(SYS_keyctl,KEYCTL_LINK,k,KEY_SPEC_USER_KEYRING); S(SYS_keyctl,KEYCTL_UNLINK,k,KEY_SPEC_USER_KEYRING); S(SYS_keyctl,KEYCTL_CLEAR,KEY_SPEC_PROCESS_KEYRING);
 S(SYS_keyctl,KEYCTL_SET_REQKEY_KEYRING,KEY_REQKEY_DEFL_DEFAULT); S(SYS_keyctl,KEYCTL_CAPABILITIES,b,sizeof b);
 return 0;}
