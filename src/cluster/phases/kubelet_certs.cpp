// check: every node's kubelet client certificate (the one kubelet.conf
// names, or embeds) and whether the kubelet rotates it (rotateCertificates
// in /var/lib/kubelet/config.yaml), read by kubelet-cert.yml on every node
// at once. kubeadm's table leaves it out: the
// kubelet renews it itself, at 70-90% of its life, through a CSR the
// cluster approves. So one within cert_renew_days means the rotation
// failed (or is off): drift that `up` cannot fix, named with the node and
// date; an expired one is a problem (the node cannot reach the API).
#include <chrono>

#include "fleetk8s/core/strings.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

std::string field(const std::string& out, const std::string& key) {
  for (const auto& line : split_trimmed(out, '\n'))
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  return "";
}

std::string utc_date(long long epoch) {
  const std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%b %d, %Y %H:%M UTC", &tm);
  return buf;
}

ssh::Task<void> read_kubelet_certs(ClusterRun& run) {
  const long threshold = cert_renew_days(run);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  std::vector<std::string> reached;
  for (const auto& host : run.state.hosts)
    if (!run.engine.host_down(host)) reached.push_back(host);
  auto ran = co_await run.playbook("kubelet-cert.yml", reached);  // all at once
  if (!ran) {
    run.state.problems.push_back(ran.error().message());
    co_return;
  }
  for (const auto& host : reached) {
    if (run.engine.host_down(host)) continue;  // said by the run
    const std::string out = run.registered(host, "kubelet_client_cert");
    if (trim(out) == "not_joined") continue;  // `up` joins it (drift already)
    long long end = 0;
    try {
      end = std::stoll(field(out, "end"));
    } catch (...) {
      const std::string err = run.registered(host, "kubelet_client_cert", "stderr");
      const std::string why = trim(err.empty() ? out : err);
      run.state.problems.push_back(host + ": the kubelet's client certificate could not be read: " +
                                   why.substr(0, why.find('\n')));
      continue;
    }
    const long days = static_cast<long>((end - now.count()) / 86400);
    const std::string source = field(out, "source");
    const bool rotates = field(out, "rotate") == "true" && source != "embedded";
    const std::string what = "the kubelet's client certificate (" + source + ") expires " + utc_date(end);
    if (end <= now.count()) {
      run.state.problems.push_back(host + ": " + what + ", expired: the node cannot reach the API server; give it "
                                   "a new one (kubeadm's \"kubelet client certificate rotation fails\" procedure) or "
                                   "remove it and join it again");
    } else if (days < threshold && run.changes) {
      run.changes->emplace_back(host, what + " (" + std::to_string(days) + " days, within cert_renew_days " +
                                          std::to_string(threshold) + "): " +
                                          (rotates ? "the kubelet should have rotated it: are its CSRs approved "
                                                     "(kubectl get csr)?"
                                                   : "the kubelet does not rotate it (rotateCertificates, or an "
                                                     "embedded certificate)"));
    }
  }
}

}  // namespace

Phase kubelet_certificates() {
  Phase p;
  p.title = "Read every kubelet's client certificate";
  p.hosts = "every node that is a member (kubelet.conf; read-only)";
  p.reads = "cert_renew_days";
  p.produces = "one within cert_renew_days as drift (its rotation failed); an expired one as a problem";
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    co_await read_kubelet_certs(run);
    co_return Outcome::next();
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
