// Snapshot etcd (`backup`, and `upgrade` before anything changes): on the
// first control plane, `etcdctl snapshot save` inside the etcd static pod
// (crictl exec: the image has etcd and etcdctl only, and sees only
// /var/lib/etcd and /etc/kubernetes/pki/etcd), verified on the host by the
// SHA-256 etcd appends (as `etcdutl snapshot restore` checks it), kept
// with a tar of /etc/kubernetes/pki in /var/lib/fleetk8s/etcd-snapshots/
// STAMP/ (0700/0600; the newest three kept there) and fetched to this
// machine: BACKUP_DIR/STAMP/{snapshot.db,pki.tar,manifest.json}, 0600 in a
// 0700 folder; the manifest holds the cluster, the release, etcd's status
// and members, and each file's size and SHA-256. A snapshot that fails
// stops the command (upgrade: before its first change).
#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <map>
#include <regex>

#include "fleetk8s/core/strings.h"
#include "fleetk8s/report/private_file.h"
#include "fleetk8s/yaml/node.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

constexpr std::chrono::seconds kSnapshotTimeout{300};

// $1: the folder's name (STAMP; STAMP-2, -3, ... when a snapshot taken in
// the same second has it). Leaves snapshot.db and pki.tar (the cluster's
// certificates and keys, /etc/kubernetes/pki) in the folder and prints
// KEY=VALUE lines: name (the folder's), ca_hash (the SHA-256 of the
// cluster CA's public key, as kubeadm's join hashes it: which cluster this
// is), status (etcdctl 3.5's JSON; empty with 3.6), members (etcdctl's
// JSON), kubernetes (the API server's release), then size and sha256 of
// each file (db_size, db_sha256, pki_size, pki_sha256).
const char* const kTakeSnapshot =
    "umask 077\n"
    ETCDCTL_IN_POD
    "command -v tar >/dev/null 2>&1 || { echo 'tar is not installed on this control plane (fleetk8s up installs it)' >&2; exit 1; }\n"
    // this run's own file (another snapshot may be under way), removed
    // whatever happens
    "part=/var/lib/etcd/fleetk8s-snapshot-$$.db\n"
    "trap 'rm -f -- \"$part\"' EXIT\n"
    "rm -f -- /var/lib/etcd/fleetk8s-snapshot.db\n"  // the one file earlier versions used
    "etcdctl snapshot save \"$part\" >&2 || { rm -f -- \"$part\"; exit 1; }\n"
    // etcd sends the database followed by its SHA-256 (the size is then 32
    // more than a multiple of 512); etcdutl's restore checks it: so do we.
    "size=$(stat -c %s -- \"$part\") || exit 1\n"
    "want=$(tail -c 32 -- \"$part\" | od -An -v -tx1 | tr -d ' \\n')\n"
    "got=$(head -c $((size - 32)) -- \"$part\" | sha256sum | cut -d ' ' -f 1)\n"
    "if [ $((size % 512)) -ne 32 ] || [ \"$want\" != \"$got\" ]; then\n"
    "  echo \"the snapshot is damaged: its trailing SHA-256 does not match its $size bytes\" >&2; rm -f -- \"$part\"; exit 1\n"
    "fi\n"
    // etcd 3.5's etcdctl still reads a snapshot's status (3.6 left it to
    // etcdutl, which the etcd image does not ship): for the manifest only.
    "status=$(etcdctl snapshot status \"$part\" -w json 2>/dev/null) || status=\n"
    "members=$(etcdctl member list -w json 2>/dev/null)\n"
    "base=/var/lib/fleetk8s/etcd-snapshots\n"
    "mkdir -p -- \"$base\" && chmod 0700 -- /var/lib/fleetk8s \"$base\" || exit 1\n"
    "name=$1 i=1\n"
    "while ! mkdir -m 0700 -- \"$base/$name\" 2>/dev/null; do\n"
    "  [ -e \"$base/$name\" ] && [ \"$i\" -lt 99 ] || { mkdir -m 0700 -- \"$base/$name\"; exit 1; }\n"
    "  i=$((i + 1)); name=$1-$i\n"
    "done\n"
    "dir=$base/$name\n"
    "chmod 0600 -- \"$part\" && mv -- \"$part\" \"$dir/snapshot.db\" || exit 1\n"
    "tar -C /etc/kubernetes -cf \"$dir/pki.tar\" pki || exit 1\n"
    "ls -1 -- \"$base\" | sort -r | tail -n +4 | while read -r old; do rm -rf -- \"${base:?}/$old\"; done\n"
    "printf 'name=%s\\n' \"$name\"\n"
    "printf 'ca_hash=%s\\n' \"$(" CA_PUBLIC_KEY_SHA256 ")\"\n"
    "printf 'status=%s\\n' \"$(printf '%s' \"$status\" | tr -d '\\n')\"\n"
    "printf 'members=%s\\n' \"$(printf '%s' \"$members\" | tr -d '\\n')\"\n"
    "printf 'kubernetes=%s\\n' \"$(sed -n 's/.*image: .*kube-apiserver:v\\([0-9][0-9.]*\\).*/\\1/p' "
    "/etc/kubernetes/manifests/kube-apiserver.yaml 2>/dev/null | head -n 1)\"\n"
    "for f in db:snapshot.db pki:pki.tar; do\n"
    "  printf '%s_size=%s\\n' \"${f%%:*}\" \"$(stat -c %s -- \"$dir/${f#*:}\")\"\n"
    "  printf '%s_sha256=%s\\n' \"${f%%:*}\" \"$(sha256sum -- \"$dir/${f#*:}\" | cut -d ' ' -f 1)\"\n"
    "done\n";

// $1: a file. Its bytes.
const char* const kReadFile = "cat -- \"$1\"\n";

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

Value json_value(const std::string& text, const char* what) {
  if (text.empty()) return Value();
  auto parsed = yaml::parse(text, what);
  return parsed ? yaml::to_value(*parsed) : Value(text);
}

// The snapshot's files, fetched from the control plane into `dir` (0600).
ssh::Task<int> fetch(ClusterRun& run, const std::string& remote_dir, const std::string& dir,
                     const std::map<std::string, std::string>& said) {
  for (const auto& [key, file] : {std::pair<std::string, std::string>{"db", "snapshot.db"}, {"pki", "pki.tar"}}) {
    const std::string remote = remote_dir + "/" + file;
    const auto size = said.find(key + "_size");
    std::vector<std::string> args{remote};
    auto bytes = co_await run.as_root(run.first_cp(), kReadFile, std::move(args), kSnapshotTimeout);
    if (!bytes || !bytes->success() || size == said.end() || std::to_string(bytes->out.size()) != size->second) {
      run.message("fleetk8s: could not fetch " + run.first_cp() + ":" + remote + " (" +
                  (bytes ? std::to_string(bytes->out.size()) + " bytes" : bytes.error().message()) + ")");
      co_return kClusterControlPlane;
    }
    if (auto w = report::write_private_file(dir + "/" + file, bytes->out); !w) {
      run.message("fleetk8s: " + w.error().message());
      co_return kClusterBadInput;
    }
  }
  co_return kClusterOk;
}

ssh::Task<int> snapshot(ClusterRun& run) {
  const std::string& cp = run.first_cp();
  const std::time_t now = std::time(nullptr);
  const std::string stamp = utc_stamp(now);
  const std::string nothing = run.options.command == "upgrade" ? "; nothing was changed (--no-snapshot goes on without one)" : "";
  std::vector<std::string> args{stamp};
  auto taken = co_await run.as_root(cp, kTakeSnapshot, std::move(args), kSnapshotTimeout);
  if (!taken || !taken->success()) {
    const std::string why = failure_text(taken);
    run.message("fleetk8s: the etcd snapshot on " + cp + " failed: " + why + nothing);
    co_return taken || !is_unreachable(taken.error().kind()) ? kClusterControlPlane : kClusterUnreachable;
  }
  std::map<std::string, std::string> said;
  for (const auto& line : split_trimmed(taken->out, '\n'))
    if (const size_t eq = line.find('='); eq != std::string::npos) said[line.substr(0, eq)] = line.substr(eq + 1);
  // The host's answers are data: the folder's name must be STAMP or
  // STAMP-N, the CA hash 64 hex digits.
  const std::string name = said["name"];
  if (!is_snapshot_name(name) || name.compare(0, stamp.size(), stamp) != 0) {
    run.message("fleetk8s: the etcd snapshot on " + cp + " answered an unexpected folder name" + nothing);
    co_return kClusterControlPlane;
  }
  const std::string ca_hash = is_ca_hash("sha256:" + said["ca_hash"]) ? "sha256:" + said["ca_hash"] : "";
  const std::string remote_dir = "/var/lib/fleetk8s/etcd-snapshots/" + name;
  // Written into a folder of its own (.NAME.part-XXXXXX), renamed once
  // whole to NAME (NAME-2, ... when taken): a folder named so always holds
  // a complete snapshot, and two runs never share one.
  if (auto made = report::make_private_dirs(run.options.backup_dir); !made) {
    run.message("fleetk8s: " + made.error().message() + " (--backup-dir)" + nothing);
    co_return kClusterBadInput;
  }
  auto temp = report::make_private_temp_dir(run.options.backup_dir + "/." + name + ".part-");
  if (!temp) {
    run.message("fleetk8s: " + temp.error().message() + " (--backup-dir)" + nothing);
    co_return kClusterBadInput;
  }
  const std::string part = *temp;
  std::error_code ec;
  if (int code = co_await fetch(run, remote_dir, part, said); code != kClusterOk) {
    std::filesystem::remove_all(part, ec);
    if (!nothing.empty()) run.message("fleetk8s: nothing was changed");
    co_return code;
  }
  auto number = [&](const std::string& key) -> Value {
    try {
      return Value(static_cast<std::int64_t>(std::stoll(said[key])));
    } catch (...) {
      return Value();
    }
  };
  const Value members = json_value(said["members"], "etcdctl member list");
  const Value manifest = Value::Object{
      {"ca_hash", ca_hash.empty() ? Value() : Value(ca_hash)},
      {"cluster", run.engine.options().extra_vars.count("cluster_name")
                      ? Value(run.engine.options().extra_vars.at("cluster_name").to_display())
                      : Value()},
      {"taken_on", cp},
      {"taken_at", iso(now)},
      {"reason", run.options.command},
      {"kubernetes", said["kubernetes"]},
      {"etcd_status", json_value(said["status"], "etcdctl snapshot status")},
      {"etcd_members", members.is_object() && members.as_object().count("members") ? members.as_object().at("members")
                                                                                     : Value()},
      {"files", Value::Object{{"snapshot.db", Value::Object{{"size", number("db_size")}, {"sha256", said["db_sha256"]}}},
                              {"pki.tar", Value::Object{{"size", number("pki_size")}, {"sha256", said["pki_sha256"]}}}}},
      {"on_host", remote_dir}};
  if (auto w = report::write_private_file(part + "/manifest.json", manifest.to_json(2) + "\n"); !w) {
    run.message("fleetk8s: " + w.error().message() + " (the snapshot's manifest)" + nothing);
    std::filesystem::remove_all(part, ec);
    co_return kClusterBadInput;
  }
  auto renamed = report::rename_to_free_name(part, run.options.backup_dir + "/" + name);
  if (!renamed) {
    run.message("fleetk8s: " + renamed.error().message() + nothing);
    std::filesystem::remove_all(part, ec);
    co_return kClusterBadInput;
  }
  const std::string& dir = *renamed;
  run.state.snapshot_ca_hash = ca_hash;
  run.message("etcd snapshot: " + dir + "/snapshot.db (" + said["db_size"] + " bytes, sha256 " + said["db_sha256"] +
              "), with the certificates (pki.tar) and manifest.json; also on " + cp + ":" + remote_dir);
  co_return kClusterOk;
}

}  // namespace

bool is_ca_hash(const std::string& text) {
  return text.size() == 71 && text.compare(0, 7, "sha256:") == 0 &&
         text.find_first_not_of("0123456789abcdef", 7) == std::string::npos;
}

bool is_snapshot_name(const std::string& name) {
  static const std::regex re(R"(\d{8}T\d{6}Z(-([2-9]|[1-9]\d))?)");
  return std::regex_match(name, re);
}

Phase snapshot_etcd() {
  Phase p;
  p.title = "Snapshot etcd";
  p.hosts = "the first control plane";
  p.reads = "the run lock; --backup-dir";
  p.produces = "BACKUP_DIR/STAMP/snapshot.db, pki.tar and manifest.json on this machine (0600)";
  p.changes = true;  // a file on the control plane
  p.skip = [](const ClusterRun& run) -> std::optional<std::string> {
    if (run.options.no_snapshot) return "--no-snapshot";
    if (run.options.command == "upgrade" && run.state.upgrade_steps.empty()) return "nothing to upgrade";
    return std::nullopt;
  };
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    const int code = co_await snapshot(run);
    co_return code == kClusterOk ? Outcome::next() : Outcome::end(code);
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
