// Schema fragments for argument values that reach a program's argv, a line of a file or a path. Each kind says what
// it accepts (its title names it in errors and docs): never a leading "-" (a program would read it as an option) and
// never a line break (it would add a line). Checked at load, and on the rendered value when it is templated.

type Kind = { type: 'string'; title: string; pattern: string };

const kind = (title: string, pattern: string): Kind => ({ type: 'string', title, pattern });

const IPV4 = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}';
const IPV6 = '[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}(:' + IPV4 + ')?';
const HOST_NAME = '[A-Za-z0-9]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9])?';

/** Text that becomes one line of a file (no line break, no NUL). */
export const oneLine = kind('single line', '^[^\\n\\r\\0]*$');
/** A path on the host or the controller: one line, not starting with "-". */
export const filePath = kind('path', '^[^-\\n\\r\\0][^\\n\\r\\0]*$');
/** An absolute path on the host; `~` or `~/...` is the login user's home there (expanded before the module runs). */
export const absolutePath = { ...kind('absolute path', '^(/|~(/|$))[^\\n\\r\\0]*$'), targetPath: true } as const;
/** apt/dnf/yum package, optionally pinned: kubelet=1.13.1-00, docker-ce-17.09*, kubelet/bookworm. */
export const packageName = kind('package name', '^[A-Za-z0-9_][A-Za-z0-9_.+:~*?=/-]*$');
/** A systemd unit: glusterd, kubelet.service, getty@tty1. */
export const unitName = kind('unit name', '^[A-Za-z0-9_:@.\\\\][A-Za-z0-9_:@.\\\\-]*$');
/** A user or group name (or a numeric id). */
export const userName = kind('user or group name', '^[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?$');
/** A sysctl key: net.ipv4.ip_forward (or net/ipv4/ip_forward). */
export const sysctlKey = kind('sysctl key', '^[A-Za-z0-9_][A-Za-z0-9_.\\-/]*$');
/** A kernel module: br_netfilter, dm-thin-pool. */
export const kernelModule = kind('kernel module name', '^[A-Za-z0-9_][A-Za-z0-9_-]*$');
/** A host name (RFC 1123, underscores tolerated as in inventories). */
export const hostName = kind('host name', `^${HOST_NAME}$`);
/** An IPv4 or IPv6 address. */
export const ipAddress = kind('IP address', `^(${IPV4}|${IPV6})$`);
/** A host name or an IP address. */
export const hostOrAddress = kind('host name or IP address', `^(${IPV4}|${IPV6}|${HOST_NAME})$`);
/** A name made of letters, digits, _ . + - (repo ids, firewalld zones and services, inventory groups, var names). */
export const simpleName = kind('name', '^[A-Za-z0-9_][A-Za-z0-9_.+-]*$');
/** A field of an /etc/fstab line that fstab does not escape (type, options, dump, pass). */
export const fstabField = kind('fstab field', '^[^\\s#]+$');
