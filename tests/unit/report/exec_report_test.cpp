#include <catch2/catch.hpp>

#include "fleetk8s/report/exec_report.h"
#include "fleetk8s/report/secrets.h"

using namespace fleetk8s;
using namespace fleetk8s::report;

namespace {

HostOutcome ok_host(std::string name, std::string out) {
  HostOutcome o;
  o.host = std::move(name);
  o.result = CommandResult{std::move(out), "", 0, "", false, false};
  o.seconds = 0.5;
  return o;
}

}  // namespace

TEST_CASE("a host block prefixes every line with the host") {
  auto o = ok_host("web1", "a\nb\r\n");
  o.result->err = "warn\n";
  CHECK(format_host_block(o) == "web1 | ok | rc=0 | 0.50s\nweb1 | a\nweb1 | b\nweb1 ! warn\n");
}

TEST_CASE("unreachable and killed hosts say why") {
  HostOutcome u;
  u.host = "db1";
  u.status = HostStatus::kUnreachable;
  u.error = Error(ErrorKind::kConnectRefused, "connection refused by 10.0.0.1:22");
  CHECK(format_host_block(u) == "db1 | unreachable | 0.00s | connection refused by 10.0.0.1:22\n");

  auto k = ok_host("db2", "");
  k.status = HostStatus::kFailed;
  k.result->exit_signal = "KILL";
  CHECK(format_host_block(k) == "db2 | failed | signal=KILL | 0.50s\n");
}

TEST_CASE("summary lists one line per outcome and exit codes combine") {
  std::vector<HostOutcome> all{ok_host("a", ""), ok_host("b", "")};
  CHECK(exit_code(all) == 0);
  CHECK(format_summary(all, 1.234) == "ok: 2 hosts\ntotal: 2 hosts in 1.23s\n");

  auto f = ok_host("c", "");
  f.status = HostStatus::kFailed;
  f.result->exit_status = 2;
  all.push_back(f);
  CHECK(exit_code(all) == kExitHostFailed);
  HostOutcome u;
  u.host = "d";
  u.status = HostStatus::kUnreachable;
  u.error = Error(ErrorKind::kTimeout, "timed out");
  all.push_back(u);
  CHECK(exit_code(all) == (kExitHostFailed | kExitHostUnreachable));
  CHECK(format_summary(all, 2) ==
        "ok: 2 hosts\nfailed: 1 host:\n  c: exit status 2\nunreachable: 1 host:\n  d: timed out\ntotal: 4 hosts in 2.00s\n");
}

TEST_CASE("exec output and failure reasons are masked") {
  add_secret("ex3c-Pw");
  const std::string key = "3a5b79b3bd5d5a3e7d4b2f1a8c0e6d9b7a5c3e1f0d2b4a6c8e0f1a3b5c7d9e1f";
  auto o = ok_host("cp1", "pw is ex3c-Pw\n[upload-certs] Using certificate key:\n" + key + "\n");
  o.result->err = "kubeadm join --token abcdef.0123456789abcdef\n";
  const std::string block = format_host_block(o);
  CHECK(block.find("ex3c-Pw") == std::string::npos);
  CHECK(block.find(key) == std::string::npos);
  CHECK(block.find("abcdef.0123456789abcdef") == std::string::npos);
  CHECK(block.find("cp1 | pw is ********") != std::string::npos);

  HostOutcome f;
  f.host = "cp2";
  f.status = HostStatus::kFailed;
  f.error = Error(ErrorKind::kGeneric, "sudo rejected ex3c-Pw");
  CHECK(format_host_block(f).find("ex3c-Pw") == std::string::npos);
  CHECK(format_summary({f}, 1).find("ex3c-Pw") == std::string::npos);
}

TEST_CASE("a host that needed connect retries says so in its block and in the summary") {
  auto o = ok_host("web1", "");
  o.connect_retries = 2;
  CHECK(format_host_block(o) == "web1 | ok | rc=0 | 0.50s | 2 connect retries\n");
  HostOutcome u;
  u.host = "db1";
  u.status = HostStatus::kUnreachable;
  u.connect_retries = 1;
  u.error = Error(ErrorKind::kConnectRefused, "connection refused by 10.0.0.1:22 (after 2 attempts)");
  CHECK(format_host_block(u) == "db1 | unreachable | 0.00s | 1 connect retry | connection refused by 10.0.0.1:22 (after 2 attempts)\n");
  const std::string summary = format_summary({o, ok_host("web2", ""), u}, 1.5);
  CHECK(summary ==
        "ok: 2 hosts\nunreachable: 1 host:\n  db1: connection refused by 10.0.0.1:22 (after 2 attempts)\n"
        "connect retries: web1 2, db1 1 (2 hosts, 3 retries)\ntotal: 3 hosts in 1.50s\n");
  CHECK(format_summary({ok_host("web2", "")}, 1.5) == "ok: 1 host\ntotal: 1 host in 1.50s\n");
}
