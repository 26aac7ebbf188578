// Preflight: what `up` checks before it changes anything, as data. Each
// check has our name, kubeadm's name where kubeadm runs the very same check,
// and a severity: an error stops `up` (exit 5, nothing changed), a warning
// is printed and the run goes on, as kubeadm's [ERROR ...] and [WARNING ...].
// playbooks/preflight.yml finds the per-host problems (each one
// {check: ID, message: TEXT} in `preflight_findings`); the checks across
// hosts (unique node names, MACs, product_uuid) are made here from the facts.
// Pure functions: no SSH, no printing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::orchestrator {

enum class Severity { kError, kWarning };

struct PreflightCheck {
  std::string_view id;       // ours, as preflight.yml names it: "memory"
  std::string_view kubeadm;  // kubeadm's name of the same check ("Mem"), empty when kubeadm has none
  Severity severity;
  std::string_view what;     // what it asks, one line (the README's table says the same)
};

// Every check, in the README's order.
const std::vector<PreflightCheck>& preflight_checks();

// The check named `id`, or nullptr (one an edited playbook made up: it
// counts as an error, the safe side).
const PreflightCheck* find_preflight_check(std::string_view id);

// One problem found: which check, on which host(s), what exactly.
struct PreflightFinding {
  std::string check;    // a PreflightCheck id
  std::string where;    // "worker01", or "cp1, worker01" for a clash between hosts
  std::string message;  // "1024 MB of memory (needs 2 GiB on a worker)"
};

// What one reachable host told preflight.yml.
struct PreflightHost {
  std::string name;                        // inventory name
  const Value::Object* gathered = nullptr;  // its ansible_* facts (null: none gathered)
  const Value::Object* vars = nullptr;      // its registered / set_fact variables (null: none)
};

// The interface that carries the node's address: the one holding `node_ip`
// when it is set (an address on no interface is an error naming them),
// else the default-route interface (empty device when there is none).
struct NodeInterface {
  std::string device;      // "eth1"
  std::string macaddress;  // empty when unknown
};
Result<NodeInterface> node_interface(const Value::Object& gathered, const std::string& node_ip);

// Every host's own findings (preflight.yml's `preflight_findings`, and a
// node_ip on no interface), then the clashes between hosts: the same node
// name, the same MAC on the node interface, the same product_uuid (hosts
// without a readable one are left out, as kubeadm does not look).
std::vector<PreflightFinding> preflight_findings(const std::vector<PreflightHost>& hosts);

// kubeadm-style lines, errors first: "[ERROR Mem] worker01: ..." (kubeadm's
// name where it has one, else ours), and the counts.
struct PreflightSummary {
  std::vector<std::string> lines;
  int errors = 0;
  int warnings = 0;
};
PreflightSummary summarize(const std::vector<PreflightFinding>& findings);

}  // namespace fleetk8s::orchestrator
