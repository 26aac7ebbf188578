#include "fleetk8s/orchestrator/targets.h"

#include "fleetk8s/report/secrets.h"

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace fleetk8s::orchestrator {

namespace {

std::string current_user() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (const passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return "root";
}

}  // namespace

Result<std::vector<ExecTarget>> make_targets(const inventory::Inventory& inv, const std::vector<std::string>& hosts,
                                             const ConnectionDefaults& d) {
  std::vector<ExecTarget> targets;
  targets.reserve(hosts.size());
  for (const auto& name : hosts) {
    auto c = inventory::connection_for(inv, name);
    if (!c) return c.error();
    ExecTarget t;
    auto& o = t.connect;
    o.name = c->name;
    o.address = c->address;
    o.port = c->port;
    o.user = !c->user.empty() ? c->user : !d.user.empty() ? d.user : current_user();
    if (c->private_key_file) o.auth.identity_files = {*c->private_key_file};
    else if (d.private_key_file) o.auth.identity_files = {*d.private_key_file};
    o.auth.password = c->password ? c->password : d.password;
    o.auth.key_passphrase = d.key_passphrase;
    o.known_hosts_file = c->known_hosts_file ? *c->known_hosts_file : d.known_hosts_file;
    o.host_key_policy = d.host_key_policy;
    o.connect_timeout = d.connect_timeout;
    t.become.enabled = c->become || d.become;
    t.become.user = d.become_user ? *d.become_user : c->become_user;
    t.become.password = c->become_password ? c->become_password : d.become_password;
    for (const auto* secret : {&o.auth.password, &t.become.password})
      if (*secret) report::add_secret(**secret);
    targets.push_back(std::move(t));
  }
  return targets;
}

}  // namespace fleetk8s::orchestrator
