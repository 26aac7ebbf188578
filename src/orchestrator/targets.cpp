#include "fleetk8s/orchestrator/targets.h"

#include "fleetk8s/report/log.h"
#include "fleetk8s/report/secrets.h"
#include "jump_spec.h"

#include <cstdlib>
#include <map>
#include <pwd.h>
#include <unistd.h>

namespace fleetk8s::orchestrator {

namespace {

using inventory::SshArgs;
using sshconfig::HostConfig;
using std::chrono::milliseconds;

constexpr milliseconds kDefaultConnectTimeout{10000};
constexpr int kMaxJumps = 8;

std::string current_user() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (const passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return "root";
}

HostConfig lookup(const ConnectionDefaults& d, const std::string& name) {
  if (!d.ssh_config) return {};
  return d.ssh_config->lookup(name, current_user());
}

// StrictHostKeyChecking as written in ssh_config or -o; "ask" is strict:
// there is nobody to ask. "no" is accept-new: OpenSSH's "no" also goes on
// past a CHANGED key (with some features disabled); fleetk8s never does.
// Only ansible_host_key_checking=false or --host-key-checking off skip the
// check, said by the admin in fleetk8s' own terms.
std::optional<ssh::HostKeyPolicy> policy_from(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  if (*v == "accept-new" || *v == "no" || *v == "off") return ssh::HostKeyPolicy::kAcceptNew;
  return ssh::HostKeyPolicy::kStrict;
}

// ssh_config's ProxyJump, or its ProxyCommand when that is an ssh jump
// (any other command is an error: fleetk8s runs none), as SshArgs.
Result<SshArgs> config_jump(const HostConfig& c, const std::string& where) {
  SshArgs a;
  if (c.proxy_jump) a.proxy_jump = c.proxy_jump;
  else if (c.proxy_command) {
    if (auto r = inventory::parse_proxy_command(*c.proxy_command, a, where); !r) return r.error();
  }
  return a;
}

// The jump hosts of `spec`, outermost first. A jump host's settings come
// from the spec, from `settings` (a ProxyCommand's own ssh options, for its
// last hop), from ssh_config for its name, else from the host behind it.
Result<std::vector<ssh::ConnectOptions>> resolve_jumps(const std::string& spec, const std::string& where,
                                                       const SshArgs* settings, const ssh::ConnectOptions& behind,
                                                       const ConnectionDefaults& d, int depth) {
  auto hops = parse_jump_spec(spec);
  if (!hops) return hops.error().context(where);
  std::vector<ssh::ConnectOptions> chain;
  for (std::size_t i = 0; i < hops->size(); ++i) {
    const JumpHop& h = (*hops)[i];
    const SshArgs* s = i + 1 == hops->size() ? settings : nullptr;
    const HostConfig jc = lookup(d, h.host);
    ssh::ConnectOptions j;
    j.name = h.host;
    j.address = jc.hostname.value_or(h.host);
    j.port = h.port ? *h.port : jc.port.value_or(22);
    j.user = !h.user.empty() ? h.user : jc.user ? *jc.user : current_user();
    if (s && !s->identity_files.empty()) j.auth.identity_files = s->identity_files;
    else if (!jc.identity_files.empty()) j.auth.identity_files = jc.identity_files;
    else j.auth.identity_files = behind.auth.identity_files;
    const bool only = s && s->identities_only ? *s->identities_only
                                              : jc.identities_only.value_or(!behind.auth.use_agent);
    j.auth.use_agent = !only;
    j.auth.key_passphrase = behind.auth.key_passphrase;
    if (s && s->known_hosts_file) j.known_hosts_file = *s->known_hosts_file;
    else if (!jc.user_known_hosts_files.empty()) j.known_hosts_file = jc.user_known_hosts_files.front();
    else j.known_hosts_file = behind.known_hosts_file;
    j.host_key_alias = jc.host_key_alias.value_or("");
    // A bastion serves every host behind it: its key is checked by its own
    // settings or the run's, never relaxed by one host's variables.
    j.host_key_policy = policy_from(s ? s->strict_host_key_checking : std::optional<std::string>())
                            .value_or(policy_from(jc.strict_host_key_checking)
                                          .value_or(d.host_key_policy.value_or(ssh::HostKeyPolicy::kStrict)));
    if (s && s->connect_timeout) j.connect_timeout = std::chrono::seconds(*s->connect_timeout);
    else if (jc.connect_timeout) j.connect_timeout = *jc.connect_timeout;
    else j.connect_timeout = behind.connect_timeout;
    // The outermost hop may itself be behind a ProxyJump of ssh_config.
    const std::string its = where + ": ProxyJump of " + h.host + " in ssh_config";
    auto own = i == 0 ? config_jump(jc, its) : Result<SshArgs>(SshArgs());
    if (!own) return own.error();
    if (own->proxy_jump && *own->proxy_jump != "none") {
      if (depth >= kMaxJumps) {
        return Error(ErrorKind::kInvalidInput,
                     where + ": more than " + std::to_string(kMaxJumps) +
                         " jump hosts in a row (does a ProxyJump in ssh_config lead back to " + h.host + "?)");
      }
      auto before = resolve_jumps(*own->proxy_jump, its, own->jump_settings.get(), j, d, depth + 1);
      if (!before) return before.error();
      chain.insert(chain.end(), before->begin(), before->end());
    }
    chain.push_back(std::move(j));
  }
  if (chain.size() > kMaxJumps) {
    return Error(ErrorKind::kInvalidInput, where + ": more than " + std::to_string(kMaxJumps) + " jump hosts");
  }
  return chain;
}

// Reports each ignored ssh option once, with the hosts it concerns.
void warn_ignored(const std::map<std::string, std::vector<std::string>>& ignored) {
  for (const auto& [option, hosts] : ignored) {
    std::string names;
    for (std::size_t i = 0; i < hosts.size() && i < 5; ++i) names += (i ? ", " : "") + hosts[i];
    if (hosts.size() > 5) names += " and " + std::to_string(hosts.size() - 5) + " more";
    report::log_warn(names + ": ansible_ssh_common_args/ansible_ssh_extra_args: '" + option +
                     "' is not supported by fleetk8s; ignored");
  }
}

}  // namespace

Result<std::vector<ExecTarget>> make_targets(const inventory::Inventory& inv, const std::vector<std::string>& hosts,
                                             const ConnectionDefaults& d) {
  std::vector<ExecTarget> targets;
  targets.reserve(hosts.size());
  std::map<std::string, std::vector<std::string>> ignored;
  for (const auto& name : hosts) {
    auto c = inventory::connection_for(inv, name);
    if (!c) return c.error();
    const SshArgs& a = c->ssh_args;
    // ssh_config is consulted for the name ssh would be given.
    const HostConfig cfg = lookup(d, c->address);
    ExecTarget t;
    auto& o = t.connect;
    o.name = c->name;
    o.address = cfg.hostname.value_or(c->address);
    o.port = c->port_set ? c->port : a.port ? *a.port : cfg.port.value_or(22);
    o.user = !c->user.empty() ? c->user : !d.user.empty() ? d.user : a.user ? *a.user : cfg.user.value_or(current_user());
    if (c->private_key_file) o.auth.identity_files = {*c->private_key_file};
    else if (d.private_key_file) o.auth.identity_files = {*d.private_key_file};
    else if (!a.identity_files.empty()) o.auth.identity_files = a.identity_files;
    else o.auth.identity_files = cfg.identity_files;
    o.auth.use_agent = !(a.identities_only ? *a.identities_only : cfg.identities_only.value_or(false));
    o.auth.password = c->password ? c->password : d.password;
    o.auth.key_passphrase = d.key_passphrase;
    if (c->known_hosts_file) o.known_hosts_file = *c->known_hosts_file;
    else if (!d.known_hosts_file.empty()) o.known_hosts_file = d.known_hosts_file;
    else if (a.known_hosts_file) o.known_hosts_file = *a.known_hosts_file;
    else if (!cfg.user_known_hosts_files.empty()) o.known_hosts_file = cfg.user_known_hosts_files.front();
    o.host_key_alias = cfg.host_key_alias.value_or("");
    const ssh::HostKeyPolicy from_ssh = policy_from(a.strict_host_key_checking)
                                            .value_or(policy_from(cfg.strict_host_key_checking)
                                                          .value_or(ssh::HostKeyPolicy::kStrict));
    // ansible_host_key_checking=false turns checking off; true leaves it to ssh's settings.
    if (c->host_key_checking) o.host_key_policy = *c->host_key_checking ? from_ssh : ssh::HostKeyPolicy::kOff;
    else o.host_key_policy = d.host_key_policy.value_or(from_ssh);
    if (c->timeout) o.connect_timeout = std::chrono::seconds(*c->timeout);
    else if (d.connect_timeout) o.connect_timeout = *d.connect_timeout;
    else if (a.connect_timeout) o.connect_timeout = std::chrono::seconds(*a.connect_timeout);
    else if (cfg.connect_timeout) o.connect_timeout = *cfg.connect_timeout;
    else o.connect_timeout = kDefaultConnectTimeout;

    const std::string in_config = c->name + ": ProxyJump in ssh_config";
    auto from_config = d.jump || a.proxy_jump ? Result<SshArgs>(SshArgs()) : config_jump(cfg, in_config);
    if (!from_config) return from_config.error();
    if (d.jump || a.proxy_jump || from_config->proxy_jump) {
      const std::string& spec = d.jump ? *d.jump : a.proxy_jump ? *a.proxy_jump : *from_config->proxy_jump;
      const std::string where = d.jump         ? c->name + ": --jump"
                                : a.proxy_jump ? c->name + ": ansible_ssh_common_args/ansible_ssh_extra_args"
                                               : in_config;
      const SshArgs* settings = d.jump ? nullptr : a.proxy_jump ? a.jump_settings.get() : from_config->jump_settings.get();
      auto chain = resolve_jumps(spec, where, settings, o, d, 0);
      if (!chain) return chain.error();
      o.jump_hosts = std::move(*chain);
    }
    for (const auto& option : a.ignored) ignored[option].push_back(c->name);

    t.become.enabled = c->become || d.become;
    t.become.user = d.become_user ? *d.become_user : c->become_user;
    t.become.password = c->become_password ? c->become_password : d.become_password;
    for (const auto* secret : {&o.auth.password, &t.become.password})
      if (*secret) report::add_secret(**secret);
    targets.push_back(std::move(t));
  }
  warn_ignored(ignored);
  return targets;
}

}  // namespace fleetk8s::orchestrator
