// Snapshot etcd before anything changes (kubeadm's upgrade guide; the
// tools we are compared with have no such step): on the first control
// plane, `etcdctl snapshot save` inside the etcd static pod (crictl exec:
// the image has no shell, and sees only /var/lib/etcd and
// /etc/kubernetes/pki/etcd), verified with `etcdutl snapshot status`, kept
// in /var/lib/fleetk8s/etcd-snapshots/STAMP/ (0700/0600; the newest three
// kept there) and fetched to this machine: BACKUP_DIR/STAMP/snapshot.db and
// manifest.json, both 0600 in a 0700 folder. A snapshot that fails stops
// the command before its first change.
#include <sys/stat.h>

#include <ctime>

#include "fleetk8s/core/strings.h"
#include "fleetk8s/report/private_file.h"
#include "fleetk8s/yaml/node.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

constexpr std::chrono::seconds kSnapshotTimeout{300};

// $1: the folder's name (STAMP). Prints the status JSON, the size and the
// SHA-256 of the kept file, one per line.
const char* const kTakeSnapshot =
    "umask 077\n"
    "id=$(crictl ps --name '^etcd$' --state running -q 2>/dev/null | head -n 1)\n"
    "if [ -z \"$id\" ]; then echo 'no running etcd container (crictl ps --name etcd --state running)' >&2; exit 3; fi\n"
    "part=/var/lib/etcd/fleetk8s-snapshot.db\n"
    "rm -f -- \"$part\"\n"
    "crictl exec \"$id\" etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt "
    "--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key "
    "snapshot save \"$part\" >&2 || { rm -f -- \"$part\"; exit 1; }\n"
    "status=$(crictl exec \"$id\" etcdutl snapshot status \"$part\" -w json) || { rm -f -- \"$part\"; exit 1; }\n"
    "base=/var/lib/fleetk8s/etcd-snapshots\n"
    "mkdir -p -- \"$base\" && chmod 0700 -- /var/lib/fleetk8s \"$base\" || exit 1\n"
    "dir=$base/$1\n"
    "mkdir -m 0700 -- \"$dir\" && chmod 0600 -- \"$part\" && mv -- \"$part\" \"$dir/snapshot.db\" || exit 1\n"
    "ls -1 -- \"$base\" | sort -r | tail -n +4 | while read -r old; do rm -rf -- \"${base:?}/$old\"; done\n"
    "printf '%s\\n' \"$status\" | tr -d '\\n'; echo\n"
    "stat -c %s -- \"$dir/snapshot.db\"\n"
    "sha256sum -- \"$dir/snapshot.db\" | cut -d ' ' -f 1\n";

// $1: the kept file. Its bytes.
const char* const kReadSnapshot = "cat -- \"$1\"\n";

std::string utc_stamp(std::time_t now) {
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string iso(std::time_t now) {
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

ssh::Task<int> snapshot(ClusterRun& run) {
  const std::string& cp = run.first_cp();
  const std::time_t now = std::time(nullptr);
  const std::string stamp = utc_stamp(now);
  std::vector<std::string> args{stamp};
  auto taken = co_await run.as_root(cp, kTakeSnapshot, std::move(args), kSnapshotTimeout);
  if (!taken || !taken->success()) {
    const std::string why = taken ? trim(taken->err.empty() ? taken->out : taken->err) : taken.error().message();
    run.message("fleetk8s: the etcd snapshot on " + cp + " failed: " + why +
                "\nnothing was changed (--no-snapshot goes on without one)");
    co_return taken || !is_unreachable(taken.error().kind()) ? kClusterControlPlane : kClusterUnreachable;
  }
  const auto lines = split_trimmed(trim(taken->out), '\n');
  if (lines.size() < 3) {
    run.message("fleetk8s: the etcd snapshot on " + cp + " said nothing of its file: " + trim(taken->out));
    co_return kClusterControlPlane;
  }
  const std::string& status = lines[lines.size() - 3];
  const std::string& size = lines[lines.size() - 2];
  const std::string& sha256 = lines.back();
  const std::string remote = "/var/lib/fleetk8s/etcd-snapshots/" + stamp + "/snapshot.db";

  std::vector<std::string> file{remote};
  auto bytes = co_await run.as_root(cp, kReadSnapshot, std::move(file), kSnapshotTimeout);
  if (!bytes || !bytes->success() || std::to_string(bytes->out.size()) != size) {
    run.message("fleetk8s: could not fetch " + cp + ":" + remote + " (" +
                (bytes ? std::to_string(bytes->out.size()) + " of " + size + " bytes" : bytes.error().message()) +
                "): nothing was changed");
    co_return kClusterControlPlane;
  }
  const std::string dir = run.options.backup_dir + "/" + stamp;
  if (auto made = report::make_private_dirs(dir); !made) {
    run.message("fleetk8s: " + made.error().message() + " (--backup-dir): nothing was changed");
    co_return kClusterBadInput;
  }
  Value status_value;
  if (auto parsed = yaml::parse(status, "etcdutl snapshot status"); parsed) status_value = yaml::to_value(*parsed);
  const Value manifest = Value::Object{{"taken_on", cp},
                                       {"taken_at", iso(now)},
                                       {"reason", run.options.command},
                                       {"kubernetes", run.state.control_plane_version ? run.state.control_plane_version->str() : ""},
                                       {"file", "snapshot.db"},
                                       {"size", static_cast<std::int64_t>(bytes->out.size())},
                                       {"sha256", sha256},
                                       {"on_host", remote},
                                       {"etcd_status", status_value}};
  if (auto w = report::write_private_file(dir + "/snapshot.db", bytes->out); !w) {
    run.message("fleetk8s: " + w.error().message() + " (the etcd snapshot): nothing was changed");
    co_return kClusterBadInput;
  }
  if (auto w = report::write_private_file(dir + "/manifest.json", manifest.to_json(2) + "\n"); !w) {
    run.message("fleetk8s: " + w.error().message() + " (the etcd snapshot's manifest): nothing was changed");
    co_return kClusterBadInput;
  }
  run.message("etcd snapshot: " + dir + "/snapshot.db (" + size + " bytes, sha256 " + sha256 + "; also " + cp + ":" +
              remote + ")");
  co_return kClusterOk;
}

}  // namespace

Phase snapshot_etcd() {
  Phase p;
  p.title = "Snapshot etcd";
  p.hosts = "the first control plane";
  p.reads = "the run lock; --backup-dir";
  p.produces = "BACKUP_DIR/STAMP/snapshot.db and manifest.json on this machine (0600)";
  p.changes = true;  // a file on the control plane
  p.skip = [](const ClusterRun& run) -> std::optional<std::string> {
    if (run.options.no_snapshot) return "--no-snapshot";
    if (run.state.upgrade_steps.empty()) return "nothing to upgrade";
    return std::nullopt;
  };
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    const int code = co_await snapshot(run);
    co_return code == kClusterOk ? Outcome::next() : Outcome::end(code);
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
