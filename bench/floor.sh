#!/bin/sh
# The raw-SSH floor: the benchmark's 20 node-preparation tasks as one idempotent POSIX shell script, run over one
# ssh connection per host. `sh -s apply` converges, `sh -s check` only reports. Prints "changed=N" (tasks).
mode=${1:-apply}
changed=0
task_changed=0
begin() { task_changed=0; }
hit() { task_changed=1; }
end() { [ $task_changed = 1 ] && changed=$((changed + 1)); }
apply() { [ "$mode" = apply ]; }
addr=$(ip -o -4 addr show dev eth0 | awk '{print $4}' | cut -d/ -f1)

put() { # path mode content
  if [ ! -f "$1" ] || [ "$(cat "$1"; echo x)" != "$(printf '%s' "$3"; echo x)" ]; then hit; apply && { printf '%s' "$3" > "$1.tmp" && chmod "$2" "$1.tmp" && mv "$1.tmp" "$1"; }; fi
  if [ -f "$1" ] && [ "$(stat -c %a "$1")" != "${2#0}" ]; then hit; apply && chmod "$2" "$1"; fi
}
sysctl_set() { # key value
  f=/etc/sysctl.d/90-bench.conf
  [ "$(cat /proc/sys/$(echo "$1" | tr . /))" = "$2" ] || { hit; apply && sysctl -qw "$1=$2"; }
  grep -qx "$1 = $2" "$f" 2>/dev/null || { hit; apply && { { grep -v "^$1 " "$f" 2>/dev/null; echo "$1 = $2"; } > "$f.tmp"; mv "$f.tmp" "$f"; }; }
}
dir() { # path mode
  if [ ! -d "$1" ]; then hit; apply && mkdir -p "$1" && chmod "$2" "$1"
  elif [ "$(stat -c %a "$1")" != "${2#0}" ]; then hit; apply && chmod "$2" "$1"; fi
}
line() { # file regexp line
  grep -qx "$3" "$1" 2>/dev/null && return
  hit; apply || return
  { grep -Ev "$2" "$1" 2>/dev/null; echo "$3"; } > "$1.tmp" && cat "$1.tmp" > "$1" && rm -f "$1.tmp"
}
fstab_line() { # mountpoint line
  grep -qxF "$2" /etc/fstab && return
  hit; apply || return
  { awk -v mp="$1" '$2 != mp' /etc/fstab; echo "$2"; } > /etc/fstab.tmp && cat /etc/fstab.tmp > /etc/fstab && rm -f /etc/fstab.tmp
}

begin; sysctl_set net.ipv4.ip_forward 1; end
begin; sysctl_set net.core.somaxconn 1024; end
begin; sysctl_set net.ipv4.tcp_keepalive_time 600; end
begin; sysctl_set net.ipv4.conf.all.rp_filter 2; end
begin; put /etc/modules-load.d/k8s.conf 0644 "br_netfilter
overlay
"; end
begin; put /etc/modules-load.d/dm.conf 0644 "dm_snapshot
dm_mirror
dm_thin_pool
"; end
begin; dir /etc/bench 0755; end
begin; dir /var/lib/bench 0700; end
begin; dir /opt/bench/bin 0755; end
begin; fstab_line /var/lib/etcd "/mnt/root/var/lib/etcd /var/lib/etcd none defaults,bind 0 0"; end
begin; fstab_line /mnt/root "UUID=655a39e8-9a5d-45f3-ae14-73b4c5ed50c3 /mnt/root ext4 defaults,rw,user,auto,exec 0 0"; end
begin; put /etc/bench/app.conf 0640 "# $(hostname) — generated
listen = $addr:8080
peers = 10.213.250.11,10.213.250.12
"; end
begin; put /etc/bench/motd 0644 "managed by the benchmark
"; end
begin; line /etc/hosts '\sbench-gluster1$' "10.213.250.11 bench-gluster1"; end
begin; line /etc/hosts '\sbench-gluster2$' "10.213.250.12 bench-gluster2"; end
begin; line /etc/hosts '\sbench-master$' "10.213.250.21 bench-master"; end
begin; line /etc/bench/env '^CLUSTER=bench$' "CLUSTER=bench"; end
begin; if grep -Eq '^[^#].*\sswap\s' /etc/fstab; then hit; apply && sed -i -E '/^[^#].*\sswap\s/d' /etc/fstab; fi; end
begin; [ -e /var/lib/bench/initialized ] || { hit; apply && touch /var/lib/bench/initialized; }; end
begin; put /opt/bench/bin/version 0644 "1
"; end
echo "changed=$changed"
