// The phases the cluster commands are made of, one file each in this
// directory. Each returns its Phase (phase.h): what it is and what it does
// on the ClusterRun. Private to src/cluster.
#pragma once

#include "fleetk8s/cluster/cluster_run.h"
#include "fleetk8s/cluster/phase.h"

namespace fleetk8s::cluster::phases {

// How long one query of the cluster may take (kubectl, kubeadm certs, crictl
// on one host): the API server answers in milliseconds when it is up.
inline constexpr std::chrono::seconds kQueryTimeout{60};

Phase connect();          // preflight.yml on every host: connect, facts, prerequisites; cross-host checks
Phase reach_control_plane();  // backup: the first control plane, or another when it is down
Phase take_lock();        // the cluster's run lock on the first control plane
Phase prepare();          // prepare.yml on every host
Phase init();             // control-plane.yml on the first control plane; who still has to join
Phase join_data();        // the join token, CA hash (and certificate key) for the nodes that join
Phase join_nodes();       // join.yml on the nodes that join
Phase wait_ready();       // polls until every node is Ready
Phase kubeconfig();       // kubeconfig.yml: the admin kubeconfig on this machine
Phase drift();            // check: what would change, and the verdict
Phase reset(std::vector<std::string> hosts);  // reset.yml on `hosts`
Phase plan_upgrade();     // upgrade: versions, steps, order, batches, blockers; changes nothing
Phase snapshot_etcd();    // upgrade, backup: an etcd snapshot, fetched to this machine
Phase prune_backups();    // backup: the snapshots on this machine beyond --keep removed
Phase plan_removal(std::vector<std::string> hosts);  // remove: who leaves, how; blockers; changes nothing
Phase drain_leaving();    // remove: drain the nodes that leave (reachable ones)
Phase reset_leaving();    // remove: kubeadm reset on them (reset.yml)
Phase delete_nodes();     // remove: their Node objects deleted
Phase update_endpoints(); // remove: the node-local endpoints without the control planes that leave
Phase remove_members();   // remove: the etcd members of the control planes that leave (kubeadm reset left)
Phase certificates();     // certs: every control plane's certificates against cert_renew_days
Phase kubelet_certificates();  // check: every kubelet's client certificate (rotation failed: drift; expired: problem)
Phase control_plane_health();  // check: API servers running, etcd members present and healthy
Phase certificate_drift();  // check: certificates due as drift, expired ones as problems
Phase renew_certificates(bool force);  // up, certs --renew: kubeadm certs renew all where due (all: force)
Phase plan_restore();     // restore: the snapshot folder and the control plane checked; changes nothing
Phase restore_etcd();     // restore: the snapshot restored into etcd, the old data kept
Phase roll_out();         // upgrade: every step, node by node (drain, packages, Ready, uncordon)

// The outcome of a playbook run: next, or the end with r's error.
Outcome after(ClusterRun& run, const Result<void>& r);

// How a wait for Ready nodes ended: kClusterOk, kClusterHostsFailed (the
// deadline passed; `waiting`: a line per node not Ready), kClusterInterrupted
// or kClusterUnreachable (the first control plane; said). `last`: the last
// progress line said.
struct ReadyWait {
  int code = orchestrator::kClusterOk;
  std::vector<std::string> waiting;
  std::string last;
};

// Polls the nodes' Ready condition on the first control plane until every
// node of `expected` (node names) is Ready, up to `limit`, saying where the
// wait stands whenever that changes.
ssh::Task<ReadyWait> poll_ready(ClusterRun& run, std::vector<std::string> expected, std::chrono::seconds limit);

// The API endpoint an existing cluster was created with (admin.conf's server
// on the first control plane) wins over the one the inventory would choose
// now: kubeadm cannot change a cluster's controlPlaneEndpoint. Sets the
// playbooks' node_local_api and api_endpoint to match; says so when the
// inventory asks for a node-local endpoint the cluster cannot have.
ssh::Task<void> endpoint_in_use(ClusterRun& run);

// Script lines defining `etcdctl` as the one inside this control plane's
// etcd static pod (crictl exec: the etcd image has etcd and etcdctl only),
// talking to the local member with the healthcheck client's certificate;
// exit 3 (said) when no etcd container runs. A macro, to be glued to the
// script text around it.
#define ETCDCTL_IN_POD                                                                                          \
  "id=$(crictl ps --name '^etcd$' --state running -q 2>/dev/null | head -n 1)\n"                               \
  "if [ -z \"$id\" ]; then echo 'no running etcd container (crictl ps --name etcd --state running)' >&2; exit 3; fi\n" \
  "etcdctl() { crictl exec \"$id\" etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt " \
  "--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key \"$@\"; }\n"

// When the first control plane is unreachable (or leaves: remove): the
// first other reachable control plane, not in `leaving`, that is a member
// of the cluster (admin.conf and the API server's manifest) becomes the
// run's first control plane (said); false when there is none.
ssh::Task<bool> stand_in_for_first_cp(ClusterRun& run, std::vector<std::string> leaving);

// Why a root script failed, for a message: what it printed on stderr, else
// on stdout (trimmed); the transport's error when it never ran.
std::string failure_text(const CommandResult& r);
std::string failure_text(const Result<CommandResult>& r);

// A whole-number setting (checked before the run), `fallback` when unset.
long setting_number(const ClusterRun& run, const std::string& name, long fallback);
// cert_renew_days (30 when unset).
long cert_renew_days(const ClusterRun& run);

// A shell command printing the SHA-256 of the cluster CA's public key (64
// hex digits), as kubeadm hashes it for --discovery-token-ca-cert-hash: the
// cluster's identity in a snapshot's manifest. A macro, glued to script text.
#define CA_PUBLIC_KEY_SHA256                                                                     \
  "openssl x509 -pubkey -noout -in /etc/kubernetes/pki/ca.crt | openssl pkey -pubin -outform DER | " \
  "sha256sum | cut -d ' ' -f 1"
// "sha256:" and 64 lowercase hex digits: a CA hash as manifests record it.
bool is_ca_hash(const std::string& text);

// A snapshot folder's name (snapshot_etcd): STAMP, 20261206T231700Z, or
// STAMP-N (N 2 to 99: a later snapshot taken in the same second).
bool is_snapshot_name(const std::string& name);

// Waits `d` on the run's executor (between polls of kubectl).
ssh::Task<void> pause(std::chrono::seconds d);

}  // namespace fleetk8s::cluster::phases
