// Facts gathering (Ansible's `setup`, "Gathering Facts") for hosts that have
// only sshd and a POSIX shell: one script, one round trip, then parsing on
// the controller.
//
// Usage: run facts_script() on the host as one `sh -c` command (no become
// needed; with become the user facts are the become user's), then pass its
// stdout to parse_facts(). The script always exits 0; what it cannot read it
// leaves out. The result is the `ansible_facts` dict as Ansible 2.14 shapes
// it, with keys WITHOUT the `ansible_` prefix (the engine publishes each as
// `ansible_<key>` too, as Ansible does). Facts produced:
//   hostname nodename fqdn domain system kernel kernel_version architecture
//   machine distribution distribution_version distribution_major_version
//   distribution_release os_family processor_{vcpus,count,cores,
//   threads_per_core,nproc} memtotal_mb memfree_mb swaptotal_mb swapfree_mb
//   memory_mb uptime_seconds machine_id product_uuid selinux service_mgr
//   pkg_mgr user_id user_dir interfaces default_ipv4 all_ipv4_addresses
//   date_time{epoch,iso8601}, and per interface (`eth1`, ':' and '-' as '_')
//   {device, macaddress, mtu, active, type, ipv4, ipv4_secondaries}
// Values are typed as Ansible types them (ints are ints; default_ipv4.prefix
// and date_time.epoch are strings, as in Ansible). A fact whose source is
// missing on the host is omitted, never guessed; inside memory_mb a missing
// figure is null, as in Ansible. `interfaces` is sorted (Ansible's order is
// a hash order). product_uuid is read from /sys/class/dmi/id (the same file
// as Ansible's /sys/devices/virtual/dmi/id): "NA" when unreadable, as in
// Ansible, and absent without DMI (Ansible would then try dmidecode).
#pragma once

#include <string>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::modules {

// The POSIX sh script that prints the host's facts as key=value lines.
std::string facts_script();

// Parses the script's stdout into the `ansible_facts` dict (see above).
// Lines that are not the script's (a shell rc file's chatter) are ignored;
// fails (kInvalidInput) only when the output is not the script's at all.
Result<Value::Object> parse_facts(const std::string& stdout_text);

}  // namespace fleetk8s::modules
