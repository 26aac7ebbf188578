// Every control plane's certificates and when they expire (kubeadm certs
// check-expiration), against cert_renew_days; and their renewal.
//   certificates():        the table and the verdict (`certs`): 0 none due,
//                          2 some due (named with node and date), 3 some
//                          expired or missing, 4 a control plane unreachable.
//   certificate_drift():   the same reading as `check`'s drift: due ones are
//                          drift, expired or missing ones problems.
//   renew_certificates():  `kubeadm certs renew all` on each control plane
//                          with a leaf certificate due (or all, forced), one
//                          at a time, then its static pods restarted in the
//                          order that keeps the control plane working
//                          (kubespray #12836): etcd, the API server (until
//                          it answers with the new admin.conf), controller-manager, scheduler,
//                          each waited for; root's ~/.kube/config follows
//                          admin.conf. `up` and `certs --renew`.
// CAs are never renewed (kubeadm cannot): a CA that is due is said, with the
// manual procedure.
#include <algorithm>
#include <cstdio>

#include "fleetk8s/cluster/cert_expiry.h"
#include "fleetk8s/core/strings.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

// Renewal of one control plane: the renewal, then each static pod's
// container stopped (the kubelet starts it again, with the new files) and
// waited for, within a deadline each. Fixed text; no values.
constexpr const char* kRenewScript = R"(umask 077
running() { crictl ps --name "^$1\$" --state running -q 2>/dev/null | head -n 1; }
out=$(kubeadm certs renew all 2>&1) || { printf '%s\n' "$out" >&2; exit 10; }
for c in etcd kube-apiserver kube-controller-manager kube-scheduler; do
  old=$(running "$c")
  if [ -z "$old" ]; then echo "$c: no running container to restart" >&2; exit 11; fi
  crictl stop "$old" >/dev/null || { echo "$c: crictl stop failed" >&2; exit 12; }
  i=0
  while :; do
    new=$(running "$c")
    if [ -n "$new" ] && [ "$new" != "$old" ]; then
      [ "$c" != kube-apiserver ] && break
      kubectl --kubeconfig=/etc/kubernetes/admin.conf get nodes -o name >/dev/null 2>&1 && break
    fi
    i=$((i + 1))
    if [ "$i" -ge 120 ]; then echo "$c: not running again 120 s after its restart" >&2; exit 13; fi
    sleep 1
  done
  echo "restarted $c"
done
if [ -e /root/.kube/config ] && ! cmp -s /etc/kubernetes/admin.conf /root/.kube/config; then
  install -m 0600 /etc/kubernetes/admin.conf /root/.kube/config && echo "updated /root/.kube/config"
fi
)";

// 4 static pods, each up to 120 s, and the renewal itself.
constexpr std::chrono::seconds kRenewTimeout{600};

// 100: no API server manifest, so no control plane (yet): nothing to read.
constexpr const char* kReadScript = R"([ -e /etc/kubernetes/manifests/kube-apiserver.yaml ] || exit 100
exec kubeadm certs check-expiration
)";

constexpr const char* kCaProcedure =
    "kubeadm cannot renew a CA: rotate it by hand "
    "(https://kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/)";

// One control plane's certificates, as read.
struct Reading {
  enum State { kRead, kNotMember, kUnreachable, kFailed } state = kFailed;
  std::vector<CertExpiry> rows;
  std::string why;  // kUnreachable, kFailed: one line
};

ssh::Task<Reading> read_certs(ClusterRun& run, const std::string& cp) {
  Reading reading;
  auto r = co_await run.as_root(cp, kReadScript, kQueryTimeout);
  if (!r) {
    reading.state = is_unreachable(r.error().kind()) ? Reading::kUnreachable : Reading::kFailed;
    reading.why = r.error().message();
    co_return reading;
  }
  if (r->exit_signal.empty() && r->exit_status == 100) {
    reading.state = Reading::kNotMember;
    co_return reading;
  }
  reading.rows = parse_check_expiration(r->out);
  if (!r->success() || reading.rows.empty()) {
    const std::string why = failure_text(*r);
    reading.why = "kubeadm certs check-expiration failed: " + why.substr(0, why.find('\n'));
    co_return reading;
  }
  reading.state = Reading::kRead;
  co_return reading;
}

// Where one certificate stands against the threshold.
enum class Standing { kFine, kDue, kExpired, kMissing };

Standing standing(const CertExpiry& c, long threshold, std::chrono::system_clock::time_point now) {
  if (c.missing) return Standing::kMissing;
  const long days = days_left(c, now);
  if (days < 0) return Standing::kExpired;
  return days < threshold ? Standing::kDue : Standing::kFine;
}

// "apiserver (Dec 07, 2026 10:00 UTC, 9 days)".
std::string described(const CertExpiry& c, std::chrono::system_clock::time_point now) {
  if (c.missing) return c.name + " (missing)";
  const long days = days_left(c, now);
  if (days < 0) return c.name + (c.authority ? " CA" : "") + " (expired " + c.expires_text + ")";
  return c.name + (c.authority ? " CA" : "") + " (" + c.expires_text + ", " + std::to_string(days) + " days)";
}

// The leaf certificates `renew all` would fix: due or expired, not CAs.
std::vector<std::string> renewable(const std::vector<CertExpiry>& rows, long threshold,
                                   std::chrono::system_clock::time_point now) {
  std::vector<std::string> out;
  for (const auto& c : rows) {
    const Standing s = standing(c, threshold, now);
    if (!c.authority && (s == Standing::kDue || s == Standing::kExpired)) out.push_back(described(c, now));
  }
  return out;
}

std::string table(const std::string& cp, const std::vector<CertExpiry>& rows, long threshold,
                  std::chrono::system_clock::time_point now) {
  std::string text = cp + ":";
  for (const auto& c : rows) {
    const long days = days_left(c, now);
    const Standing s = standing(c, threshold, now);
    const std::string state = s == Standing::kMissing   ? "MISSING"
                              : s == Standing::kExpired ? "EXPIRED"
                              : s == Standing::kDue     ? "due: within cert_renew_days (" + std::to_string(threshold) + ")"
                                                        : "";
    char line[160];
    std::snprintf(line, sizeof line, "\n  %-24s %-4s %-24s %6s  ", c.name.c_str(), c.authority ? "CA" : "",
                  c.missing ? "-" : c.expires_text.c_str(), c.missing ? "-" : (std::to_string(days) + "d").c_str());
    text += std::string(line) + state;
    while (!text.empty() && text.back() == ' ') text.pop_back();
  }
  return text;
}

ssh::Task<int> show(ClusterRun& run) {
  const long threshold = cert_renew_days(run);
  const auto now = std::chrono::system_clock::now();
  int code = kClusterOk;
  size_t fine = 0;
  std::vector<std::string> due, gone, authorities;
  for (const auto& cp : run.roles.control_planes) {
    const Reading reading = co_await read_certs(run, cp);
    if (reading.state == Reading::kNotMember) {
      run.message(cp + ": no control plane yet (no kube-apiserver manifest)");
      continue;
    }
    if (reading.state != Reading::kRead) {
      run.message("fleetk8s: " + cp + ": " + reading.why);
      code = std::max(code, reading.state == Reading::kUnreachable ? kClusterUnreachable : kClusterHostsFailed);
      continue;
    }
    for (const auto& c : reading.rows) {
      switch (standing(c, threshold, now)) {
        case Standing::kFine: ++fine; break;
        case Standing::kDue: (c.authority ? authorities : due).push_back(cp + " " + described(c, now)); break;
        case Standing::kExpired:
        case Standing::kMissing: gone.push_back(cp + " " + described(c, now)); break;
      }
    }
    run.message(table(cp, reading.rows, threshold, now));
  }
  due.insert(due.end(), authorities.begin(), authorities.end());
  std::string verdict = "certificates: " + std::to_string(fine) + " ok";
  if (!due.empty()) verdict += "; due (within " + std::to_string(threshold) + " days): " + join(due, ", ");
  if (!gone.empty()) verdict += "; EXPIRED or missing: " + join(gone, ", ");
  if (!due.empty() || !gone.empty())
    verdict += "\nrenew them (each control plane in turn, its static pods restarted): fleetk8s certs INVENTORY --renew";
  if (!authorities.empty()) verdict += "\n" + std::string(kCaProcedure);
  run.message(verdict);
  if (!gone.empty()) code = std::max(code, kClusterHostsFailed);
  else if (!due.empty() && code == kClusterOk) code = kClusterDrift;
  co_return code;
}

// check: due certificates are drift; expired or missing ones problems.
ssh::Task<void> drift_of_certs(ClusterRun& run) {
  const long threshold = cert_renew_days(run);
  const auto now = std::chrono::system_clock::now();
  for (const auto& cp : run.roles.control_planes) {
    if (run.engine.host_down(cp)) continue;  // said by the phases before
    // (a watch cycle leaves out the control planes it found unchanged)
    if (!run.among_hosts(cp)) continue;
    const Reading reading = co_await read_certs(run, cp);
    if (reading.state == Reading::kNotMember) continue;  // `up` initialises it: drift already
    if (reading.state != Reading::kRead) {
      run.state.problems.push_back(cp + ": " + reading.why);
      continue;
    }
    for (const auto& c : reading.rows) {
      const Standing s = standing(c, threshold, now);
      if (s == Standing::kFine) continue;
      if (s == Standing::kDue) {
        const std::string what = "certificate " + described(c, now) + " within cert_renew_days (" +
                                 std::to_string(threshold) + "): " +
                                 (c.authority ? std::string(kCaProcedure) : "up renews it");
        if (run.changes) run.changes->emplace_back(cp, what);
      } else {
        run.state.problems.push_back(cp + ": certificate " + described(c, now) +
                                          (c.authority ? std::string("; ") + kCaProcedure : ": up renews it"));
      }
    }
  }
}

// One control plane renewed; false (said) when that failed.
ssh::Task<bool> renew_one(ClusterRun& run, const std::string& cp, const std::string& why) {
  run.message(cp + ": renewing its certificates (" + why + "), then restarting etcd, kube-apiserver, "
              "kube-controller-manager and kube-scheduler one after another");
  auto r = co_await run.as_root(cp, kRenewScript, kRenewTimeout);
  if (!r) {
    run.message("fleetk8s: " + cp + ": certificate renewal: " + r.error().message());
    co_return false;
  }
  if (!r->success()) {
    const std::string err = trim(r->err);
    run.message("fleetk8s: " + cp + ": certificate renewal failed (" + r->describe_exit() +
                "): " + (err.empty() ? trim(r->out) : err));
    co_return false;
  }
  run.message(cp + ": certificates renewed; " + join(split_trimmed(trim(r->out), '\n'), ", "));
  run.milestone(cp, "certificates renewed");
  co_return true;
}

ssh::Task<int> renew(ClusterRun& run, bool force) {
  const long threshold = cert_renew_days(run);
  int code = kClusterOk;
  size_t renewed = 0;
  for (const auto& cp : run.roles.control_planes) {
    if (run.engine.host_down(cp)) continue;
    const auto now = std::chrono::system_clock::now();
    const Reading reading = co_await read_certs(run, cp);
    if (reading.state == Reading::kNotMember) continue;
    if (reading.state != Reading::kRead) {
      run.message("fleetk8s: " + cp + ": " + reading.why + " (its certificates were not renewed)");
      code = std::max(code, reading.state == Reading::kUnreachable ? kClusterUnreachable : kClusterHostsFailed);
      continue;
    }
    for (const auto& c : reading.rows)
      if (c.authority && standing(c, threshold, now) != Standing::kFine)
        run.message("fleetk8s: " + cp + ": the CA " + described(c, now) + ": " + kCaProcedure);
    const auto due = renewable(reading.rows, threshold, now);
    if (due.empty() && !force) continue;
    const std::string why = due.empty() ? "--force; none due" : "due within " + std::to_string(threshold) +
                                                                    " days: " + join(due, ", ");
    const bool ok = co_await renew_one(run, cp, why);
    if (!ok) {
      // The others keep their working certificates: one control plane at a time.
      run.message("fleetk8s: the renewal stopped at " + cp + "; the other control planes were left as they were");
      co_return kClusterHostsFailed;
    }
    ++renewed;
    const Reading after = co_await read_certs(run, cp);
    if (after.state == Reading::kRead) {
      const auto still = renewable(after.rows, threshold, std::chrono::system_clock::now());
      if (!still.empty()) {
        run.message("fleetk8s: " + cp + ": still due after the renewal: " + join(still, ", "));
        code = std::max(code, kClusterHostsFailed);
      }
    }
  }
  if (renewed == 0 && code == kClusterOk)
    run.message("certificates: none due within " + std::to_string(threshold) + " days (cert_renew_days)");
  co_return code;
}

}  // namespace

long setting_number(const ClusterRun& run, const std::string& name, long fallback) {
  const auto& extra = run.engine.options().extra_vars;
  auto it = extra.find(name);
  if (it == extra.end()) return fallback;
  return whole_number(it->second).value_or(fallback);
}

long cert_renew_days(const ClusterRun& run) { return setting_number(run, "cert_renew_days", 30); }

Phase certificates() {
  Phase p;
  p.title = "Read every control plane's certificates";
  p.hosts = "the control planes (kubeadm certs check-expiration; read-only)";
  p.reads = "cert_renew_days";
  p.produces = "each certificate's expiry; the verdict";
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> { co_return Outcome::end(co_await show(run)); };
  return p;
}

Phase certificate_drift() {
  Phase p;
  p.title = "Read every control plane's certificates";
  p.hosts = "the control planes (kubeadm certs check-expiration; read-only)";
  p.reads = "cert_renew_days";
  p.produces = "due certificates as drift; expired or missing ones as problems";
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    co_await drift_of_certs(run);
    co_return Outcome::next();
  };
  return p;
}

Phase renew_certificates(bool force) {
  Phase p;
  p.title = "Renew the certificates that are due";
  p.hosts = "the control planes, one at a time";
  p.reads = "cert_renew_days";
  p.produces = "renewed certificates; the static pods restarted; root's ~/.kube/config";
  p.changes = true;
  p.run = [force](ClusterRun& run) -> ssh::Task<Outcome> {
    const int code = co_await renew(run, force);
    co_return code == kClusterOk ? Outcome::next() : Outcome::end(code);
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
