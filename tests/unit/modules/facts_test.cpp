#include <catch2/catch.hpp>

#include <cstring>

#include "fleetk8s/modules/facts.h"

using namespace fleetk8s;
using namespace fleetk8s::modules;

namespace {

Value::Object parse(const std::string& out) {
  auto f = parse_facts(out);
  REQUIRE(f.ok());
  return *f;
}

// /proc/cpuinfo lines of `sockets` x `cores` x `threads` Intel CPUs, as the script filters them.
std::string intel_cpus(int sockets, int cores, int threads) {
  std::string s;
  int n = 0;
  for (int sk = 0; sk < sockets; ++sk)
    for (int c = 0; c < cores; ++c)
      for (int t = 0; t < threads; ++t) {
        s += "cpuinfo=processor\t: " + std::to_string(n++) + "\ncpuinfo=vendor_id\t: GenuineIntel\n";
        s += "cpuinfo=model name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz\n";
        s += "cpuinfo=physical id\t: " + std::to_string(sk) + "\ncpuinfo=siblings\t: " + std::to_string(cores * threads) +
             "\ncpuinfo=core id\t\t: " + std::to_string(c) + "\ncpuinfo=cpu cores\t: " + std::to_string(cores) +
             "\ncpuinfo=flags: vme\n";
      }
  return s;
}

// A Rocky Linux 8.9 VM (systemd, SELinux enforcing, 2 sockets x 2 cores x 2
// threads, eth0 with a secondary address labelled eth0:1, a docker0 bridge).
const std::string kRocky8 =
    "fleetk8s_facts=1\n"
    "uname=Linux node1.example.com 4.18.0-513.5.1.el8_9.x86_64 #1 SMP Thu Nov  2 03:31:10 UTC 2023 x86_64\n"
    "os_release=NAME=\"Rocky Linux\"\nos_release=VERSION=\"8.9 (Green Obsidian)\"\nos_release=ID=\"rocky\"\n"
    "os_release=ID_LIKE=\"rhel centos fedora\"\nos_release=VERSION_ID=\"8.9\"\n"
    "os_release=PRETTY_NAME=\"Rocky Linux 8.9 (Green Obsidian)\"\n"
    "redhat_release=Rocky Linux release 8.9 (Green Obsidian)\n" +
    intel_cpus(2, 2, 2) +
    "cpus_allowed=\t0-7\n"
    "meminfo=MemTotal:        3855088 kB\nmeminfo=MemFree:         2873452 kB\nmeminfo=Buffers:            4220 kB\n"
    "meminfo=Cached:           612340 kB\nmeminfo=SwapCached:            0 kB\nmeminfo=SwapTotal:       4194300 kB\n"
    "meminfo=SwapFree:        4194300 kB\n"
    "uptime=86523.91 340112.07\n"
    "machine_id=8f2c1e0a9b7d4c3e8a1f6b5d4c3e2a1b\n"
    "getent=1\nfqdn_names=10.0.2.15       node1.example.com node1\n"
    "selinux_enforce=1\nselinux_policyvers=33\nselinux_config=SELINUX=enforcing\nselinux_config=SELINUXTYPE=targeted\n"
    "proc1=systemd\nsystemctl=1\nsystemd_booted=1\nsysvinit=1\n"
    "pkg_path=/usr/bin/yum\npkg_path=/usr/bin/dnf\n"
    "user=admin\npasswd=admin:x:1000:1000:Admin:/home/admin:/bin/bash\n"
    "ip=1\n"
    "iface=eth0\niface_address=eth0 52:54:00:12:34:56\niface_mtu=eth0 1500\niface_type=eth0 1\n"
    "iface=lo\niface_address=lo 00:00:00:00:00:00\niface_mtu=lo 65536\niface_type=lo 772\n"
    "iface=docker0\niface_address=docker0 02:42:7a:1b:2c:3d\niface_mtu=docker0 1500\niface_type=docker0 1\n"
    "iface_kind=docker0 bridge\n"
    "route4=8.8.8.8 via 10.0.2.2 dev eth0 src 10.0.2.15 uid 0 \n"
    "addr4=1: lo    inet 127.0.0.1/8 scope host lo\n"
    "addr4=2: eth0    inet 10.0.2.15/24 brd 10.0.2.255 scope global dynamic noprefixroute eth0\n"
    "addr4=2: eth0    inet 10.0.2.100/24 brd 10.0.2.255 scope global secondary eth0:1\n"
    "addr4=3: docker0    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\n"
    "date=1700000000 2023-11-14T22:13:20Z\n";

// This Debian 12 machine, as captured (a gVisor sandbox: PID 1 is process_api).
const std::string kDebian12 =
    "fleetk8s_facts=1\n"
    "uname=Linux vm 6.18.44-fc-v782 #1 SMP PREEMPT_DYNAMIC @0 x86_64\n"
    "os_release=PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nos_release=NAME=\"Debian GNU/Linux\"\n"
    "os_release=VERSION_ID=\"12\"\nos_release=VERSION=\"12 (bookworm)\"\nos_release=VERSION_CODENAME=bookworm\n"
    "os_release=ID=debian\nos_release=HOME_URL=\"https://www.debian.org/\"\n"
    "debian_version=12.11\n"
    "cpuinfo=processor\t: 0\ncpuinfo=vendor_id\t: AuthenticAMD\ncpuinfo=model name\t: AMD EPYC\n"
    "cpuinfo=physical id\t: 0\ncpuinfo=siblings\t: 2\ncpuinfo=core id\t\t: 0\ncpuinfo=cpu cores\t: 2\ncpuinfo=flags: vme\n"
    "cpuinfo=processor\t: 1\ncpuinfo=vendor_id\t: AuthenticAMD\ncpuinfo=model name\t: AMD EPYC\n"
    "cpuinfo=physical id\t: 0\ncpuinfo=siblings\t: 2\ncpuinfo=core id\t\t: 1\ncpuinfo=cpu cores\t: 2\ncpuinfo=flags: vme\n"
    "cpus_allowed=\t0-1\n"
    "meminfo=MemTotal:       24683620 kB\nmeminfo=MemFree:        22672736 kB\nmeminfo=Buffers:           14144 kB\n"
    "meminfo=Cached:          1234372 kB\nmeminfo=SwapCached:            0 kB\nmeminfo=SwapTotal:             0 kB\n"
    "meminfo=SwapFree:              0 kB\n"
    "uptime=15697.70 15898.93\n"
    "machine_id=3d1219c7c4c5404aaa1f6d2a48adfda4\n"
    "getent=1\nfqdn_names=127.0.0.1       localhost\n"
    "selinux_absent=1\n"
    "proc1=process_api\nsystemctl=1\nsysvinit=1\n"
    "pkg_path=/usr/bin/apt-get\n"
    "user=root\npasswd=root:x:0:0:root:/root:/bin/bash\n"
    "ip=1\n"
    "iface=eth0\niface_address=eth0 02:fc:00:00:00:01\niface_mtu=eth0 1400\niface_type=eth0 1\n"
    "iface=ifb0\niface_address=ifb0 be:0f:70:9c:f9:67\niface_mtu=ifb0 1500\niface_type=ifb0 1\n"
    "iface=lo\niface_address=lo 00:00:00:00:00:00\niface_mtu=lo 65536\niface_type=lo 772\n"
    "route4=8.8.8.8 via 192.0.2.1 dev eth0 src 192.0.2.2 uid 0 \n"
    "addr4=1: lo    inet 127.0.0.1/8 scope host lo\n"
    "addr4=4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\n"
    "date=1795654981 2026-11-26T01:03:01Z\n";

}  // namespace

TEST_CASE("facts of a Rocky Linux 8 host, as Ansible names and types them") {
  Value::Object f = parse(kRocky8);
  CHECK(f["system"] == Value("Linux"));
  CHECK(f["nodename"] == Value("node1.example.com"));
  CHECK(f["hostname"] == Value("node1"));
  CHECK(f["fqdn"] == Value("node1.example.com"));
  CHECK(f["domain"] == Value("example.com"));
  CHECK(f["kernel"] == Value("4.18.0-513.5.1.el8_9.x86_64"));
  CHECK(f["kernel_version"] == Value("#1 SMP Thu Nov  2 03:31:10 UTC 2023"));
  CHECK(f["architecture"] == Value("x86_64"));
  CHECK(f["machine"] == Value("x86_64"));
  CHECK(f["distribution"] == Value("Rocky"));
  CHECK(f["distribution_version"] == Value("8.9"));
  CHECK(f["distribution_major_version"] == Value("8"));
  CHECK(f["distribution_release"] == Value("Green Obsidian"));
  CHECK(f["os_family"] == Value("RedHat"));
  CHECK(f["processor_count"] == Value(2));
  CHECK(f["processor_cores"] == Value(2));
  CHECK(f["processor_threads_per_core"] == Value(2));
  CHECK(f["processor_vcpus"] == Value(8));
  CHECK(f["processor_nproc"] == Value(8));
  CHECK(f["memtotal_mb"] == Value(3764));
  CHECK(f["memfree_mb"] == Value(2806));
  CHECK(f["swaptotal_mb"] == Value(4095));
  CHECK(f["swapfree_mb"] == Value(4095));
  CHECK(f["memory_mb"].to_json() ==
        R"({"nocache":{"free":3407,"used":357},"real":{"free":2806,"total":3764,"used":958},)"
        R"("swap":{"cached":0,"free":4095,"total":4095,"used":0}})");
  CHECK(f["uptime_seconds"] == Value(86523));
  CHECK(f["machine_id"] == Value("8f2c1e0a9b7d4c3e8a1f6b5d4c3e2a1b"));
  CHECK(f["selinux"].to_json() ==
        R"({"config_mode":"enforcing","mode":"enforcing","policyvers":33,"status":"enabled","type":"targeted"})");
  CHECK(f["service_mgr"] == Value("systemd"));
  CHECK(f["pkg_mgr"] == Value("dnf"));
  CHECK(f["user_id"] == Value("admin"));
  CHECK(f["user_dir"] == Value("/home/admin"));
  CHECK(f["interfaces"].to_json() == R"(["docker0","eth0","eth0_1","lo"])");
  CHECK(f["all_ipv4_addresses"].to_json() == R"(["10.0.2.15","10.0.2.100","172.17.0.1"])");
  CHECK(f["default_ipv4"].to_json() ==
        R"({"address":"10.0.2.15","alias":"eth0","broadcast":"10.0.2.255","gateway":"10.0.2.2","interface":"eth0",)"
        R"("macaddress":"52:54:00:12:34:56","mtu":1500,"netmask":"255.255.255.0","network":"10.0.2.0",)"
        R"("prefix":"24","type":"ether"})");
  CHECK(f["date_time"].to_json() == R"({"epoch":"1700000000","iso8601":"2023-11-14T22:13:20Z"})");
  // ansible_eth0 etc.: one dict per device, its secondary addresses listed apart.
  CHECK(f["eth0"].to_json() ==
        R"({"device":"eth0","ipv4":{"address":"10.0.2.15","broadcast":"10.0.2.255","netmask":"255.255.255.0",)"
        R"("network":"10.0.2.0","prefix":"24"},"ipv4_secondaries":[{"address":"10.0.2.100","broadcast":"10.0.2.255",)"
        R"("netmask":"255.255.255.0","network":"10.0.2.0","prefix":"24"}],"macaddress":"52:54:00:12:34:56","mtu":1500,)"
        R"("type":"ether"})");
  CHECK(f["docker0"].find("type")->as_string() == "bridge");
  CHECK(f["lo"].find("ipv4")->find("address")->as_string() == "127.0.0.1");
  CHECK(f.size() == 38);
}

TEST_CASE("facts of a Debian 12 host, as ansible-core 2.14 gathered them there") {
  Value::Object f = parse(kDebian12);
  CHECK(f["hostname"] == Value("vm"));
  CHECK(f["fqdn"] == Value("localhost"));
  CHECK(f["domain"] == Value(""));
  CHECK(f["kernel_version"] == Value("#1 SMP PREEMPT_DYNAMIC @0"));
  CHECK(f["distribution"] == Value("Debian"));
  CHECK(f["distribution_version"] == Value("12.11"));
  CHECK(f["distribution_major_version"] == Value("12"));
  CHECK(f["distribution_release"] == Value("bookworm"));
  CHECK(f["os_family"] == Value("Debian"));
  CHECK(f["processor_count"] == Value(1));
  CHECK(f["processor_cores"] == Value(2));
  CHECK(f["processor_threads_per_core"] == Value(1));
  CHECK(f["processor_vcpus"] == Value(2));
  CHECK(f["processor_nproc"] == Value(2));
  CHECK(f["memtotal_mb"] == Value(24105));
  CHECK(f["memory_mb"].to_json() ==
        R"({"nocache":{"free":23359,"used":746},"real":{"free":22141,"total":24105,"used":1964},)"
        R"("swap":{"cached":0,"free":0,"total":0,"used":0}})");
  CHECK(f["selinux"].to_json() == R"({"status":"disabled"})");
  CHECK(f["service_mgr"] == Value("process_api"));
  CHECK(f["pkg_mgr"] == Value("apt"));
  CHECK(f["user_dir"] == Value("/root"));
  CHECK(f["interfaces"].to_json() == R"(["eth0","ifb0","lo"])");
  CHECK(f["all_ipv4_addresses"].to_json() == R"(["192.0.2.2"])");
  CHECK(f["default_ipv4"].to_json() ==
        R"({"address":"192.0.2.2","alias":"eth0","broadcast":"192.0.2.255","gateway":"192.0.2.1","interface":"eth0",)"
        R"("macaddress":"02:fc:00:00:00:01","mtu":1400,"netmask":"255.255.255.0","network":"192.0.2.0",)"
        R"("prefix":"24","type":"ether"})");
  CHECK(f["ifb0"].to_json() == R"({"device":"ifb0","macaddress":"be:0f:70:9c:f9:67","mtu":1500,"type":"ether"})");
  CHECK(f.size() == 38);
}

TEST_CASE("product_uuid and an interface's state, as Ansible's dmi and network collectors give them") {
  SECTION("read as root") {
    Value::Object f = parse("fleetk8s_facts=1\ndmi_product_uuid_file=1\nproduct_uuid=4c4c4544-0042-3510-8052-b4c04f4d3732\n");
    CHECK(f["product_uuid"] == Value("4c4c4544-0042-3510-8052-b4c04f4d3732"));
  }
  SECTION("there but unreadable (not root): NA") {
    CHECK(parse("fleetk8s_facts=1\ndmi_product_uuid_file=1\n")["product_uuid"] == Value("NA"));
  }
  SECTION("no DMI at all: left out") { CHECK(parse("fleetk8s_facts=1\n").count("product_uuid") == 0); }
  SECTION("operstate down: inactive; '-' in a name becomes '_'") {
    Value::Object f = parse("fleetk8s_facts=1\nip=1\niface=br-x1\niface_operstate=br-x1 down\niface=eth1\n"
                            "iface_operstate=eth1 up\n");
    CHECK(f["br_x1"].find("active")->as_bool() == false);
    CHECK(f["eth1"].find("active")->as_bool() == true);
  }
}

TEST_CASE("distribution names follow Ansible's release files") {
  auto dist = [](const std::string& lines) {
    Value::Object f = parse("fleetk8s_facts=1\n" + lines);
    return f["distribution"].as_string() + "|" + f["distribution_version"].as_string() + "|" +
           f["distribution_major_version"].as_string() + "|" + f["distribution_release"].as_string() + "|" +
           f["os_family"].as_string();
  };
  CHECK(dist("os_release=ID=\"rhel\"\nos_release=VERSION_ID=\"9.3\"\nos_release=VERSION=\"9.3 (Plow)\"\n"
             "redhat_release=Red Hat Enterprise Linux release 9.3 (Plow)\n") == "RedHat|9.3|9|Plow|RedHat");
  CHECK(dist("os_release=ID=\"almalinux\"\nos_release=VERSION_ID=\"8.9\"\nos_release=VERSION=\"8.9 (Midnight Oncilla)\"\n"
             "redhat_release=AlmaLinux release 8.9 (Midnight Oncilla)\n") == "AlmaLinux|8.9|8|Midnight Oncilla|RedHat");
  CHECK(dist("os_release=ID=\"centos\"\nos_release=VERSION_ID=\"7\"\nos_release=VERSION=\"7 (Core)\"\n"
             "centos_release=CentOS Linux release 7.9.2009 (Core)\n"
             "redhat_release=CentOS Linux release 7.9.2009 (Core)\n") == "CentOS|7.9|7|Core|RedHat");
  CHECK(dist("os_release=ID=\"centos\"\nos_release=VERSION_ID=\"9\"\nos_release=VERSION=\"9\"\n"
             "centos_release=CentOS Stream release 9\nredhat_release=CentOS Stream release 9\n") == "CentOS|9|9|Stream|RedHat");
  // No release file (a stripped image): named as the real distribution would be.
  CHECK(dist("os_release=ID=\"rocky\"\nos_release=VERSION_ID=\"9.3\"\nos_release=VERSION=\"9.3 (Blue Onyx)\"\n") ==
        "Rocky|9.3|9|Blue Onyx|RedHat");
}

TEST_CASE("facts whose source is missing are left out, never guessed") {
  SECTION("the marker alone gives nothing") { CHECK(parse("fleetk8s_facts=1\n").empty()); }
  SECTION("no ip: no network facts; no meminfo: no memory facts") {
    std::string out = kRocky8;
    for (const char* prefix : {"ip=", "meminfo="}) {
      std::string kept;
      size_t start = 0;
      while (start < out.size()) {
        const size_t end = out.find('\n', start) + 1;
        if (out.compare(start, std::strlen(prefix), prefix) != 0) kept += out.substr(start, end - start);
        start = end;
      }
      out = kept;
    }
    Value::Object f = parse(out);
    for (const char* k : {"interfaces", "default_ipv4", "all_ipv4_addresses", "memory_mb", "memtotal_mb", "memfree_mb"})
      CHECK(f.count(k) == 0);
    CHECK(f.count("processor_vcpus") == 1);
  }
  SECTION("no route: Ansible's empty default_ipv4") {
    Value::Object f = parse("fleetk8s_facts=1\nip=1\niface=lo\naddr4=1: lo    inet 127.0.0.1/8 scope host lo\n");
    CHECK(f["default_ipv4"].to_json() == "{}");
    CHECK(f["all_ipv4_addresses"].to_json() == "[]");
    CHECK(f["interfaces"].to_json() == R"(["lo"])");
  }
  SECTION("a meminfo without Buffers: nocache figures are null, as in Ansible") {
    Value::Object f = parse("fleetk8s_facts=1\nmeminfo=MemTotal: 2048 kB\nmeminfo=MemFree: 1024 kB\n");
    CHECK(f["memory_mb"].to_json() ==
          R"({"nocache":{"free":null,"used":null},"real":{"free":1,"total":2,"used":1},)"
          R"("swap":{"cached":null,"free":null,"total":null,"used":null}})");
    CHECK(f.count("swaptotal_mb") == 0);
  }
  SECTION("an unresolvable host name: fqdn is the node name, as getfqdn returns it") {
    Value::Object f = parse("fleetk8s_facts=1\nuname=Linux db1 6.1.0 #1 SMP x86_64\ngetent=1\n");
    CHECK(f["fqdn"] == Value("db1"));
    CHECK(f["domain"] == Value(""));
  }
  SECTION("no getent: no fqdn") {
    CHECK(parse("fleetk8s_facts=1\nuname=Linux db1 6.1.0 #1 SMP x86_64\n").count("fqdn") == 0);
  }
  SECTION("SELinux through getenforce when selinuxfs is not visible") {
    Value::Object f = parse("fleetk8s_facts=1\nselinux_getenforce=Permissive\nselinux_config=SELINUX=enforcing\n");
    CHECK(f["selinux"].to_json() ==
          R"({"config_mode":"enforcing","mode":"permissive","status":"enabled","type":"unknown"})");
    CHECK(parse("fleetk8s_facts=1\nselinux_getenforce=Disabled\n")["selinux"].to_json() == R"({"status":"disabled"})");
  }
}

TEST_CASE("output that is not the script's is refused; stray lines are ignored") {
  auto bad = parse_facts("Welcome to node1\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind() == ErrorKind::kInvalidInput);
  Value::Object f = parse("motd: hello=world\nfleetk8s_facts=1\nBad Key=1\nuser=ops\n");
  CHECK(f.size() == 1);
  CHECK(f["user_id"] == Value("ops"));
}

TEST_CASE("the script is plain POSIX sh that announces itself") {
  const std::string s = facts_script();
  CHECK_THAT(s, Catch::Contains("echo fleetk8s_facts=1"));
  CHECK_THAT(s, Catch::EndsWith("exit 0\n"));
  CHECK(s.find("[[") == std::string::npos);
  CHECK(s.find("python") == std::string::npos);
}

TEST_CASE("a host's hostile release files cannot crash the controller") {
  // libstdc++'s regex recurses per character; these strings come from hosts.
  const std::string longest(300000, 'x');
  Value::Object f = parse("fleetk8s_facts=1\nos_release=ID=\"rocky\"\nos_release=VERSION_ID=\"8.9\"\n"
                          "os_release=VERSION=\"8.9 (" + longest + ")\"\n");
  CHECK(f["distribution"].as_string() == "Rocky");
  CHECK(f["distribution_version"].as_string() == "8.9");
  Value::Object d = parse("fleetk8s_facts=1\nos_release=ID=debian\nos_release=VERSION_ID=\"12\"\n"
                          "os_release=PRETTY_NAME=\"Debian GNU/Linux " + longest + " (bookworm)\"\n");
  CHECK(d["distribution"].as_string() == "Debian");
}

// What ansible-core 2.14's Linux network collector reads per interface: no
// all-zero MAC (lo), promisc from IFF_PROMISC in `flags`, `speed` where the
// link has one, pciid and module from the device links, and the IPv6
// addresses of `ip -6 addr` ({address, prefix, scope}; a peer's prefix).
TEST_CASE("per-interface facts as Ansible's: MAC, promisc, speed, pciid, module, ipv6") {
  Value::Object f = parse(
      "fleetk8s_facts=1\nip=1\n"
      "iface=eth0\niface_address=eth0 02:fc:00:00:00:01\niface_mtu=eth0 1400\niface_type=eth0 1\n"
      "iface_operstate=eth0 up\niface_flags=eth0 0x1103\niface_speed=eth0 -1\n"
      "iface_pciid=eth0 virtio2\niface_module=eth0 virtio_net\n"
      "iface=lo\niface_address=lo 00:00:00:00:00:00\niface_mtu=lo 65536\niface_type=lo 772\n"
      "iface_operstate=lo unknown\niface_flags=lo 0x9\n"
      "addr4=1: lo    inet 127.0.0.1/8 scope host lo\n"
      "addr6=1: lo    inet6 ::1/128 scope host \n"
      "addr6=2: eth0    inet6 fd00::2/64 scope global \n"
      "addr6=2: eth0    inet6 fe80::1 peer fe80::2/64 scope link \n");
  CHECK(f["eth0"].to_json() ==
        R"({"active":true,"device":"eth0","ipv6":[{"address":"fd00::2","prefix":"64","scope":"global"},)"
        R"({"address":"fe80::1","prefix":"64","scope":"link"}],"macaddress":"02:fc:00:00:00:01","module":"virtio_net",)"
        R"("mtu":1400,"pciid":"virtio2","promisc":true,"speed":-1,"type":"ether"})");
  CHECK(f["lo"].to_json() ==
        R"({"active":true,"device":"lo","ipv4":{"address":"127.0.0.1","broadcast":"","netmask":"255.0.0.0",)"
        R"("network":"127.0.0.0","prefix":"8"},"ipv6":[{"address":"::1","prefix":"128","scope":"host"}],)"
        R"("mtu":65536,"promisc":false,"type":"loopback"})");
}
