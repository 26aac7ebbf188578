// The phase framework (phase.h, cluster_run.h) and the cluster commands'
// phase lists, against the fake transport.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "../orchestrator/fake_transport.h"
#include "../../../src/cluster/phases/drain.h"
#include "../../../src/cluster/phases/etcd.h"
#include "../../../src/cluster/phases/phases.h"
#include "fleetk8s/cluster/cluster_run.h"
#include "fleetk8s/cluster/commands.h"
#include "fleetk8s/inventory/inventory.h"

using namespace fleetk8s;
using namespace fleetk8s::cluster;

namespace {

// Records the banners and messages a command prints.
struct Recorder : report::PlaybookReporter {
  std::vector<std::string> banners, messages;
  void play_start(const std::string&) override {}
  void task_start(const std::string&, const std::string&) override {}
  void task_result(const report::TaskResultEvent&) override {}
  void message(const std::string& text) override { messages.push_back(text); }
  void recap(const std::vector<std::pair<std::string, report::HostStats>>&) override {}
  void phase(int n, int total, const std::string& title) override {
    banners.push_back("[" + std::to_string(n) + "/" + std::to_string(total) + "] " + title);
  }
};

// A 1+1 cluster over the fake transport, ready to run phase lists.
struct Rig {
  testing::FakeTransport transport;
  inventory::Inventory inv;
  orchestrator::ClusterRoles roles;
  orchestrator::ClusterOptions options;
  Recorder reporter;

  Rig() {
    auto parsed = inventory::Inventory::parse_ini("[control_plane]\ncp1\n[workers]\nw1\n", "test.ini");
    REQUIRE(parsed.ok());
    inv = std::move(*parsed);
    auto r = orchestrator::cluster_roles(inv);
    REQUIRE(r.ok());
    roles = *r;
    options.playbook_dir = FLEETK8S_SOURCE_DIR "/playbooks";
    options.kubeconfig_out = "/nonexistent/never-written.kubeconfig";
  }

  // The command as_root sends for `script` with `args` (the fake echoes it).
  std::string sent(const std::string& script, std::vector<std::string> args) {
    orchestrator::ExecTarget t;
    t.connect.name = "cp1";
    orchestrator::PlaybookEngine engine(transport, inv, {t}, {}, reporter);
    ClusterRun run(engine, roles, options, reporter);
    boost::asio::io_context io;
    auto send = [&]() -> ssh::Task<std::string> {
      auto r = co_await run.as_root("cp1", script, std::move(args), std::chrono::seconds(10));
      co_return r ? r->out : "error: " + r.error().message();
    };
    auto fut = boost::asio::co_spawn(io, send(), boost::asio::use_future);
    io.run();
    return fut.get();
  }

  int run(const std::vector<Phase>& phases) {
    std::vector<orchestrator::ExecTarget> targets;
    for (const char* h : {"cp1", "w1"}) {
      orchestrator::ExecTarget t;
      t.connect.name = h;
      targets.push_back(t);
    }
    orchestrator::PlaybookEngine engine(transport, inv, targets, {}, reporter);
    ClusterRun run(engine, roles, options, reporter);
    boost::asio::io_context io;
    auto fut = boost::asio::co_spawn(io, run_phases(run, phases), boost::asio::use_future);
    io.run();
    return fut.get();
  }
};

Phase step(std::string title, std::vector<std::string>& ran, Outcome outcome = Outcome::next()) {
  Phase p;
  p.title = title;
  p.run = [&ran, title, outcome](ClusterRun& run) -> ssh::Task<Outcome> {
    ran.push_back(title);
    run.at_exit([&ran, title]() -> ssh::Task<void> {
      ran.push_back("cleanup after " + title);
      co_return;
    });
    co_return outcome;
  };
  return p;
}

std::vector<std::string> titles(const std::vector<Phase>& phases) {
  std::vector<std::string> out;
  for (const auto& p : phases) out.push_back(p.title);
  return out;
}

}  // namespace

TEST_CASE("phases are numbered from their list, skipped with a reason, and the cleanups always run", "[cluster]") {
  Rig rig;
  std::vector<std::string> ran;
  Phase skipped = step("B", ran);
  skipped.skip = [](const ClusterRun&) -> std::optional<std::string> { return "nothing to do"; };
  const int code = rig.run({step("A", ran), skipped, step("C", ran, Outcome::end(orchestrator::kClusterLocked)),
                            step("D", ran)});
  CHECK(code == orchestrator::kClusterLocked);
  CHECK(rig.reporter.banners == std::vector<std::string>{"[1/4] A", "[2/4] B: nothing to do", "[3/4] C"});
  // D never ran; the cleanups ran once each, the last registered first.
  CHECK(ran == std::vector<std::string>{"A", "C", "cleanup after C", "cleanup after A"});
}

TEST_CASE("a command whose phases all go on ends with the hosts' verdict", "[cluster]") {
  Rig rig;
  std::vector<std::string> ran;
  CHECK(rig.run({step("A", ran), step("B", ran)}) == orchestrator::kClusterOk);
  CHECK(ran.size() == 4);
}

TEST_CASE("up against an unreachable control plane ends after its first phase, before the run lock", "[cluster]") {
  Rig rig;
  for (const char* h : {"cp1", "w1"}) rig.transport.hosts[h].connect_error = Error(ErrorKind::kConnectRefused, "refused");
  CHECK(rig.run(up_phases()) == orchestrator::kClusterControlPlane);
  CHECK(rig.reporter.banners == std::vector<std::string>{"[1/9] Connect to every host, gather facts, check prerequisites"});
  CHECK(std::none_of(rig.transport.log.begin(), rig.transport.log.end(),
                     [](const std::string& l) { return l.rfind("exec ", 0) == 0; }));
  CHECK(std::any_of(rig.reporter.messages.begin(), rig.reporter.messages.end(), [](const std::string& m) {
    return m == "fleetk8s: the control plane cp1 could not be reached (see above): not joining any node";
  }));
}

TEST_CASE("every phase that changes hosts runs under the run lock; check has neither lock nor token", "[cluster]") {
  for (const auto& phases : {up_phases(), reset_phases({"w1"}), upgrade_phases(), certs_phases(true, false)}) {
    const auto lock = std::find_if(phases.begin(), phases.end(),
                                   [](const Phase& p) { return p.title == "Take the cluster's run lock"; });
    REQUIRE(lock != phases.end());
    for (auto it = phases.begin(); it != lock; ++it) CHECK_FALSE(it->changes);
  }
  for (const auto& p : upgrade_plan_phases()) CHECK_FALSE(p.changes);  // --plan changes nothing
  for (const auto& p : certs_phases(false, false)) CHECK_FALSE(p.changes);  // certs without --renew neither
  CHECK(titles(certs_phases(true, true)) == std::vector<std::string>{"Take the cluster's run lock",
                                                                     "Renew the certificates that are due",
                                                                     "Write the admin kubeconfig on this machine",
                                                                     "Read every control plane's certificates"});
  CHECK(titles(upgrade_phases()) == std::vector<std::string>{"Connect to every host, gather facts, check prerequisites",
                                                             "Plan the upgrade", "Take the cluster's run lock",
                                                             "Snapshot etcd", "Upgrade node by node",
                                                             "Write the admin kubeconfig on this machine"});
  CHECK(titles(up_phases()) == std::vector<std::string>{
                                   "Connect to every host, gather facts, check prerequisites",
                                   "Take the cluster's run lock",
                                   "Prepare every host (SELinux, swap, modules, sysctls, CRI-O, kubelet)",
                                   "Initialise the first control plane",
                                   "Renew the certificates that are due",
                                   "Capture the join data",
                                   "Join the other nodes, join_parallel at a time",
                                   "Wait until every node is Ready",
                                   "Write the admin kubeconfig on this machine",
                               });
  CHECK(titles(check_phases()) == std::vector<std::string>{
                                      "Connect to every host, gather facts, check prerequisites",
                                      "Prepare every host (SELinux, swap, modules, sysctls, CRI-O, kubelet)",
                                      "Initialise the first control plane",
                                      "Join the other nodes, join_parallel at a time",
                                      "Read every control plane's certificates",
                                      "Read every kubelet's client certificate",
                                      "Check the control planes (API servers, etcd members)",
                                      "Report the drift",
                                  });
}

TEST_CASE("values reach a phase's root script as quoted words, never as script text", "[cluster][hostile]") {
  Rig rig;
  const std::string marker = "/tmp/fleetk8s-hostile-node-name";
  std::filesystem::remove(marker);
  const std::vector<std::string> values{"$(touch " + marker + ")", "w1; touch " + marker, "it's `id`", "-n", "a\nb"};
  const std::string command = rig.sent("printf '[%s]\\n' \"$@\"\n", values);
  // What a host's shell makes of it: the values back, one argument each, nothing run.
  ::setenv("FK_CMD", command.c_str(), 1);
  std::FILE* out = ::popen("sh -c 'eval \"$FK_CMD\"'", "r");
  REQUIRE(out);
  std::string got;
  char buf[256];
  while (size_t n = std::fread(buf, 1, sizeof buf, out)) got.append(buf, n);
  CHECK(::pclose(out) == 0);
  CHECK(got == "[$(touch " + marker + ")]\n[w1; touch " + marker + "]\n[it's `id`]\n[-n]\n[a\nb]\n");
  CHECK_FALSE(std::filesystem::exists(marker));
}

TEST_CASE("backup: the snapshot and certificates fetched 0600 with a manifest, the oldest snapshots beyond --keep removed", "[cluster]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("fk-backup-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string ours = "sha256:" + std::string(64, 'c');
  auto snapshot_of = [&](const char* name, const std::string& ca) {
    fs::create_directories(dir / name);
    if (std::FILE* f = std::fopen((dir / name / "manifest.json").c_str(), "w")) {
      std::fputs(("{\"cluster\": \"kubernetes\", \"ca_hash\": \"" + ca + "\"}\n").c_str(), f);
      std::fclose(f);
    }
  };
  snapshot_of("20260101T000000Z", ours);
  snapshot_of("20260102T000000Z-2", ours);
  snapshot_of("20260102T000000Z", ours);
  snapshot_of("20251201T000000Z", "sha256:" + std::string(64, 'd'));  // another cluster named alike: never removed
  fs::create_directories(dir / "20251202T000000Z");  // no manifest: whose it is, nobody knows; never removed
  fs::create_directories(dir / "keep-me");  // not a snapshot folder: never removed
  Rig rig;
  rig.options.command = "backup";
  rig.options.backup_dir = dir.string();
  rig.options.keep_backups = 3;
  // cp1 answers as a control plane does.
  rig.transport.hosts["cp1"].run = [](const std::string& cmd) {
    CommandResult r{"", "", 0, "", false, false};
    std::smatch stamp;
    if (cmd.find("snapshot save") != std::string::npos && std::regex_search(cmd, stamp, std::regex(R"(\d{8}T\d{6}Z)")))
      r.out = "name=" + stamp.str() + "\nca_hash=" + std::string(64, 'c') +
              "\nstatus={\"hash\":1,\"revision\":7,\"totalKey\":9,\"totalSize\":3}\n"
              "members={\"members\":[{\"ID\":1,\"name\":\"cp1\"}]}\nkubernetes=1.34.1\n"
              "db_size=3\ndb_sha256=aaaa\npki_size=2\npki_sha256=bbbb\n";
    else if (cmd.find("/snapshot.db") != std::string::npos)
      r.out = std::string("d\0b", 3);  // bytes, not text
    else if (cmd.find("/pki.tar") != std::string::npos)
      r.out = "pk";
    return Result<CommandResult>(r);
  };
  CHECK(rig.run(backup_phases()) == orchestrator::kClusterOk);
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir)) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  // this cluster's oldest went (20260101T000000Z); the two newer ones, this
  // run's, the other cluster's, the one without a manifest and keep-me stayed
  REQUIRE(left.size() == 6);
  CHECK(left[0] == "20251201T000000Z");
  CHECK(left[1] == "20251202T000000Z");
  CHECK(left[2] == "20260102T000000Z");
  CHECK(left[3] == "20260102T000000Z-2");
  CHECK(left[5] == "keep-me");
  CHECK(std::find(rig.reporter.messages.begin(), rig.reporter.messages.end(),
                  "3 snapshot(s) kept in " + dir.string() + ", 1 older one(s) removed; 2 of another cluster (another CA) "
                  "or without a CA hash left as they are") != rig.reporter.messages.end());
  const fs::path taken = dir / left[4];
  CHECK((fs::status(taken).permissions() & fs::perms::all) == fs::perms::owner_all);
  for (const char* f : {"snapshot.db", "pki.tar", "manifest.json"})
    CHECK((fs::status(taken / f).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
  CHECK(fs::file_size(taken / "snapshot.db") == 3);
  std::FILE* m = std::fopen((taken / "manifest.json").c_str(), "r");
  REQUIRE(m);
  std::string manifest(4096, '\0');
  manifest.resize(std::fread(manifest.data(), 1, manifest.size(), m));
  std::fclose(m);
  CHECK(manifest.find("\"kubernetes\": \"1.34.1\"") != std::string::npos);
  CHECK(manifest.find("\"reason\": \"backup\"") != std::string::npos);
  CHECK(manifest.find("\"name\": \"cp1\"") != std::string::npos);
  CHECK(manifest.find("\"sha256\": \"aaaa\"") != std::string::npos);
  CHECK(manifest.find("\"totalKey\": 9") != std::string::npos);
  CHECK(manifest.find("\"ca_hash\": \"" + ours + "\"") != std::string::npos);

  // A fetch that comes back short is a failure, and nothing is pruned.
  rig.transport.hosts["cp1"].run = [](const std::string& cmd) {
    CommandResult r{"", "", 0, "", false, false};
    std::smatch stamp;
    if (cmd.find("snapshot save") != std::string::npos && std::regex_search(cmd, stamp, std::regex(R"(\d{8}T\d{6}Z)")))
      r.out = "name=" + stamp.str() + "\ndb_size=30\npki_size=2\n";
    else r.out = "x";
    return Result<CommandResult>(r);
  };
  CHECK(rig.run(backup_phases()) == orchestrator::kClusterControlPlane);
  CHECK(fs::exists(dir / "20260102T000000Z"));
  size_t after = 0;
  for (const auto& e : fs::directory_iterator(dir))
    after += e.path().filename().string().find(".part") != std::string::npos ? 100 : 1;
  CHECK(after == 6);  // no half-fetched folder left behind
  fs::remove_all(dir);
}

TEST_CASE("the drains' dry run: what a PodDisruptionBudget, local storage or another error would stop, per node", "[cluster]") {
  const std::string out =
      "== worker01 0\n"
      "node/worker01 cordoned (server dry run)\n"
      "== worker02 1\n"
      "node/worker02 cordoned (server dry run)\n"
      "evicting pod default/db-5f7c9-abcde (server dry run)\n"
      "error when evicting pods/\"db-5f7c9-abcde\" -n \"default\" (will retry after 5s): Cannot evict pod as it would "
      "violate the pod's disruption budget.\n"
      "error when evicting pods/\"db-5f7c9-abcde\" -n \"default\" (will retry after 5s): Cannot evict pod as it would "
      "violate the pod's disruption budget.\n"
      "== worker03 1\n"
      "error: unable to drain node \"worker03\" due to error: cannot delete Pods with local storage (use "
      "--delete-emptydir-data to override): default/cache\n"
      "== worker04 1\n"
      "error: nodes \"worker04\" not found\n";
  CHECK(phases::parse_drain_blockers(out) ==
        std::vector<std::string>{
            "worker02: pod default/db-5f7c9-abcde: Cannot evict pod as it would violate the pod's disruption budget.",
            "worker03: error: unable to drain node \"worker03\" due to error: cannot delete Pods with local storage (use "
            "--delete-emptydir-data to override): default/cache",
            "worker04: error: nodes \"worker04\" not found"});
  CHECK(phases::parse_drain_blockers("== worker01 0\nnode/worker01 cordoned (server dry run)\n").empty());
}

TEST_CASE("etcd's members: IDs in hex as etcdctl takes them (past a double's precision), health by client URL",
          "[cluster]") {
  // etcdctl member list -w json (3.5), then endpoint health --cluster -w json, as etcd_members() runs them.
  const std::string out =
      R"({"header":{"cluster_id":7865924494706248249,"member_id":18374686479671623680,"raft_term":2},)"
      R"("members":[{"ID":18374686479671623681,"name":"cp1","peerURLs":["https://10.0.0.11:2380"],)"
      R"("clientURLs":["https://10.0.0.11:2379"]},{"ID":5759985854347873318,"name":"cp2",)"
      R"("peerURLs":["https://10.0.0.12:2380"],"clientURLs":["https://10.0.0.12:2379"]},)"
      R"({"ID":1,"peerURLs":["https://10.0.0.13:2380"],"isLearner":true}]})"
      "\n---\n"
      R"([{"endpoint":"https://10.0.0.12:2379","health":true,"took":"7ms"},)"
      R"({"endpoint":"https://10.0.0.11:2379","health":false,"took":"5s","error":"context deadline exceeded"}])";
  const auto members = phases::parse_etcd_members(out);
  REQUIRE(members.size() == 3);
  CHECK(members[0].id_hex == "ff00000000000001");
  CHECK(members[0].name == "cp1");
  CHECK_FALSE(members[0].healthy);
  CHECK(members[0].error == "context deadline exceeded");
  CHECK(members[1].id_hex == "4fef949de7ae0c26");
  CHECK(members[1].healthy);
  CHECK(members[2].id_hex == "1");
  CHECK(members[2].name.empty());  // a learner not started yet
  CHECK_FALSE(members[2].healthy);
  CHECK(phases::parse_etcd_members("Error: context deadline exceeded").empty());
}

TEST_CASE("restore's plan: etcd's version from the host names a download only when it is X.Y.Z", "[cluster][hostile]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("fk-restore-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::FILE* db = std::fopen((dir / "snapshot.db").c_str(), "w");
    REQUIRE(db);
    std::fputs("abc", db);
    std::fclose(db);
    std::FILE* m = std::fopen((dir / "manifest.json").c_str(), "w");
    REQUIRE(m);
    std::fputs("{\"cluster\": \"\", \"files\": {\"snapshot.db\": {\"size\": 3, \"sha256\": "
               "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"}}}\n",
               m);
    std::fclose(m);
  }
  Rig rig;
  rig.options.command = "restore";
  rig.options.backup_dir = dir.string();
  auto answer = [&rig](std::string version, std::string arch) {
    rig.transport.hosts["cp1"].run = [version, arch](const std::string&) {
      CommandResult r{"members=1\netcdctl=" + version + "\narch=" + arch + "\n", "", 0, "", false, false};
      return Result<CommandResult>(r);
    };
  };
  const std::vector<Phase> plan{phases::plan_restore()};
  for (const std::string hostile : {"3.6.5;touch /tmp/x", "3.6.5 --x", "../../3.6", "3.6", "3..6.5", "3.6.5.1",
                                    "$(id).6.5", "4.0.0", ""}) {
    answer(hostile, "amd64");
    rig.reporter.messages.clear();
    CHECK(rig.run(plan) == orchestrator::kClusterPreflight);
    REQUIRE_FALSE(rig.reporter.messages.empty());
    CHECK(rig.reporter.messages.back().find("expected 3.X.Y; nothing was changed") != std::string::npos);
  }
  answer("3.6.5", "mips; id");
  rig.reporter.messages.clear();
  CHECK(rig.run(plan) == orchestrator::kClusterPreflight);
  CHECK(rig.reporter.messages.back().find("no release for this architecture") != std::string::npos);
  answer("3.6.5", "arm64");
  rig.reporter.messages.clear();
  CHECK(rig.run(plan) == orchestrator::kClusterOk);
  CHECK(rig.reporter.messages.back().find("with etcdutl 3.6.5 (etcd's release for linux-arm64 from "
                                          "https://github.com/etcd-io/etcd/releases/download/") != std::string::npos);
  answer("3.5.21", "amd64");
  rig.reporter.messages.clear();
  CHECK(rig.run(plan) == orchestrator::kClusterOk);
  CHECK(rig.reporter.messages.back().find("with etcdctl 3.5.21 in the etcd pod") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("an etcd member ID from etcdctl's output reaches etcdctl only as hex digits", "[cluster][hostile]") {
  Rig rig;
  int sent = 0;
  std::string last;
  rig.transport.hosts["cp1"].run = [&](const std::string& cmd) {
    ++sent;
    last = cmd;
    return Result<CommandResult>(CommandResult{"", "", 0, "", false, false});
  };
  orchestrator::ExecTarget t;
  t.connect.name = "cp1";
  orchestrator::PlaybookEngine engine(rig.transport, rig.inv, {t}, {}, rig.reporter);
  ClusterRun run(engine, rig.roles, rig.options, rig.reporter);
  const std::string cp = "cp1";  // outlives the coroutine, which keeps a reference
  auto remove = [&](std::string id) {
    boost::asio::io_context io;
    auto fut = boost::asio::co_spawn(io, phases::remove_etcd_member(run, cp, id), boost::asio::use_future);
    io.run();
    return fut.get();
  };
  for (const std::string hostile : {"8e9e05c52164694d; id", "$(id)", "-w json", "8E9E05C5", "", "8e9e\n05c5"}) {
    auto r = remove(hostile);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kInvalidInput);
  }
  CHECK(sent == 0);  // none of them reached the host
  CHECK(remove("8e9e05c52164694d").ok());
  CHECK(sent == 1);
  CHECK(last.find("'8e9e05c52164694d'") != std::string::npos);
}

// The engine takes an empty host list as "every host": a phase with no host
// left to run a playbook on (a watch cycle that found every host unchanged)
// must run it nowhere.
TEST_CASE("a phase's playbook on no host runs nowhere (not on every host)", "[cluster]") {
  Rig rig;
  std::vector<std::string> got;
  Phase p;
  p.title = "playbooks";
  p.run = [&got](ClusterRun& run) -> ssh::Task<Outcome> {
    std::vector<std::string> none, w1{"w1"};
    auto r = co_await run.playbook("no-such-playbook.yml", std::move(none));
    got.push_back(r ? "none: ok" : "none: " + r.error().message());
    r = co_await run.playbook("no-such-playbook.yml", std::move(w1));
    got.push_back(r ? "w1: ok" : "w1: error");
    co_return Outcome::next();
  };
  rig.run({p});
  CHECK(got == std::vector<std::string>{"none: ok", "w1: error"});
}
