// Capture what `kubeadm join` needs, only when some node has to join: from
// this run's `kubeadm init` output, else a fresh token from the control
// plane (join-command.yml; with `kubeadm init phase upload-certs` when
// control planes join). The CA hash is cross-checked against
// /etc/kubernetes/pki/ca.crt; the parsers register the token and the
// certificate key as secrets, so they are masked wherever they appear.
#include <algorithm>

#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

bool was_skipped(const ClusterRun& run, const std::string& host, const std::string& var) {
  return run.registered(host, var, "skipped") == "True" || run.registered(host, var, "rc").empty();
}

ssh::Task<Result<JoinData>> capture(ClusterRun& run) {
  const auto& joining = run.state.joining;
  const auto& cps = run.roles.control_planes;
  const bool control_planes_join = std::any_of(joining.begin(), joining.end(), [&](const std::string& h) {
    return std::find(cps.begin(), cps.end(), h) != cps.end();
  });
  const std::string cp = run.first_cp();
  Result<JoinData> data = Error(ErrorKind::kGeneric, "no join data");
  if (!was_skipped(run, cp, "kubeadm_init")) {
    data = parse_join_command(run.registered(cp, "kubeadm_init"));  // this run's init
    if (data) run.message("join data from this run's kubeadm init");
  }
  if (!data) {
    run.engine.set_extra_var("upload_certs_needed", control_planes_join);
    run.message("a fresh token from the control plane");
    std::vector<std::string> only{cp};  // (GCC 12: no braced temporaries in a co_await's arguments)
    auto r = co_await run.playbook("join-command.yml", std::move(only));
    if (!r) co_return r.error();
    if (run.engine.host_down(cp)) co_return Error(ErrorKind::kGeneric, "the control plane could not create a join token");
    data = parse_join_command(run.registered(cp, "join_command"));
    if (data && control_planes_join) {
      auto key = parse_certificate_key(run.registered(cp, "upload_certs"));
      if (!key) co_return key.error().context("upload-certs");
      data->certificate_key = *key;
    }
  }
  if (!data) co_return data.error();
  const std::string computed = "sha256:" + run.registered(cp, "ca_cert_hash");
  if (computed != data->ca_hash)
    co_return Error(ErrorKind::kGeneric, "the join command's CA hash " + data->ca_hash +
                                             " differs from the one of /etc/kubernetes/pki/ca.crt (" + computed + ")");
  if (control_planes_join && data->certificate_key.empty())
    co_return Error(ErrorKind::kGeneric, "control planes must join but kubeadm printed no certificate key");
  co_return data;
}

void hand_to_playbooks(ClusterRun& run, const JoinData& data) {
  run.engine.set_extra_var("join_endpoint", data.endpoint);
  run.engine.set_extra_var("join_token", data.token);
  run.engine.set_extra_var("join_ca_hash", data.ca_hash);
  run.engine.set_extra_var("join_certificate_key", data.certificate_key);
}

}  // namespace

Phase join_data() {
  Phase p;
  p.title = "Capture the join data";
  p.hosts = "the first control plane";
  p.reads = "the hosts that have to join (init), kubeadm_init, ca_cert_hash";
  p.produces = "join_endpoint, join_token, join_ca_hash, join_certificate_key (extra variables for join.yml)";
  p.skip = [](const ClusterRun& run) -> std::optional<std::string> {
    if (run.state.joining.empty()) return "every node is a member already";
    return std::nullopt;
  };
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    auto data = co_await capture(run);
    if (!data) {
      if (data.error().kind() == ErrorKind::kCancelled) co_return Outcome::end(run.fail(data.error()));
      run.message("fleetk8s: " + data.error().message() + "; not joining any node");
      co_return Outcome::end(kClusterControlPlane);
    }
    run.message("join endpoint " + data->endpoint + ", CA " + data->ca_hash + " (cross-checked)");
    hand_to_playbooks(run, *data);
    run.state.join = std::move(*data);
    co_return Outcome::next();
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
