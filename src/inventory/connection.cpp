#include "fleetk8s/inventory/connection.h"

#include <cstdlib>
#include <initializer_list>

#include "fleetk8s/core/file.h"
#include "fleetk8s/inventory/inventory.h"

namespace fleetk8s::inventory {
namespace {

// The value of the last alias that is set (and not null).
const Value* last_set(const Value::Object& vars, std::initializer_list<const char*> names,
                      std::string* which) {
  const Value* found = nullptr;
  for (const char* name : names) {
    auto it = vars.find(name);
    if (it != vars.end() && !it->second.is_null()) {
      found = &it->second;
      *which = name;
    }
  }
  return found;
}

class Reader {
 public:
  Reader(std::string_view host, const Value::Object& vars) : host_(host), vars_(vars) {}

  // A text setting; numbers are accepted as their text (ansible_host=10).
  Result<std::optional<std::string>> text(std::initializer_list<const char*> names) {
    std::string which;
    const Value* v = last_set(vars_, names, &which);
    if (!v) return std::optional<std::string>();
    if (v->is_string()) return std::optional<std::string>(v->as_string());
    if (v->is_number()) return std::optional<std::string>(v->to_json());
    return bad(which, "must be a string", *v);
  }

  Result<std::optional<int>> port(std::initializer_list<const char*> names) {
    std::string which;
    const Value* v = last_set(vars_, names, &which);
    if (!v) return std::optional<int>();
    std::int64_t n = -1;
    if (v->is_int()) {
      n = v->as_int();
    } else if (v->is_string() && !v->as_string().empty() &&
               v->as_string().find_first_not_of("0123456789") == std::string::npos &&
               v->as_string().size() <= 5) {
      n = std::stoll(v->as_string());
    }
    if (n < 1 || n > 65535) return bad(which, "must be a number from 1 to 65535", *v);
    return std::optional<int>(static_cast<int>(n));
  }

  // Ansible's boolean(): yes/on/true/1/y/t and no/off/false/0/n/f, any case.
  Result<std::optional<bool>> flag(std::initializer_list<const char*> names) {
    std::string which;
    const Value* v = last_set(vars_, names, &which);
    if (!v) return std::optional<bool>();
    if (v->is_bool()) return std::optional<bool>(v->as_bool());
    if (v->is_number()) {
      if (v->as_double() == 1) return std::optional<bool>(true);
      if (v->as_double() == 0) return std::optional<bool>(false);
    }
    if (v->is_string()) {
      std::string s;
      for (char c : v->as_string()) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (const char* t : {"yes", "on", "true", "1", "y", "t"}) {
        if (s == t) return std::optional<bool>(true);
      }
      for (const char* f : {"no", "off", "false", "0", "n", "f"}) {
        if (s == f) return std::optional<bool>(false);
      }
    }
    return bad(which, "must be a boolean (true/false, yes/no)", *v);
  }

 private:
  Error bad(const std::string& var, const std::string& what, const Value& got) const {
    return Error(ErrorKind::kInvalidInput,
                 std::string(host_) + ": " + var + " " + what + ", got " + got.to_json());
  }

  std::string_view host_;
  const Value::Object& vars_;
};

}  // namespace

Result<Connection> connection_from_vars(std::string_view host, const Value::Object& vars) {
  Reader r(host, vars);
  Connection c;
  c.name = std::string(host);

  auto address = r.text({"ansible_host", "ansible_ssh_host"});
  if (!address.ok()) return address.error();
  c.address = address->value_or(c.name);

  auto port = r.port({"ansible_port", "ansible_ssh_port"});
  if (!port.ok()) return port.error();
  c.port = port->value_or(22);
  c.port_set = port->has_value();

  auto user = r.text({"ansible_user", "ansible_ssh_user"});
  if (!user.ok()) return user.error();
  c.user = user->value_or("");

  auto key = r.text({"ansible_private_key_file", "ansible_ssh_private_key_file"});
  if (!key.ok()) return key.error();
  if (*key) c.private_key_file = expand_home(**key);

  auto password = r.text({"ansible_password", "ansible_ssh_pass", "ansible_ssh_password"});
  if (!password.ok()) return password.error();
  c.password = *password;

  auto become = r.flag({"ansible_become"});
  if (!become.ok()) return become.error();
  c.become = become->value_or(false);

  auto become_user = r.text({"ansible_become_user", "ansible_sudo_user"});
  if (!become_user.ok()) return become_user.error();
  c.become_user = become_user->value_or("root");

  auto become_password = r.text({"ansible_become_password", "ansible_become_pass", "ansible_sudo_pass"});
  if (!become_password.ok()) return become_password.error();
  c.become_password = *become_password;

  auto known_hosts = r.text({"fleetk8s_known_hosts"});
  if (!known_hosts.ok()) return known_hosts.error();
  if (*known_hosts) c.known_hosts_file = expand_home(**known_hosts);

  auto checking = r.flag({"ansible_host_key_checking", "ansible_ssh_host_key_checking"});
  if (!checking.ok()) return checking.error();
  c.host_key_checking = *checking;

  auto timeout = r.port({"ansible_ssh_timeout"});  // a positive whole number, as a port is
  if (!timeout.ok()) return timeout.error();
  c.timeout = *timeout;

  for (const char* var : {"ansible_ssh_common_args", "ansible_ssh_extra_args"}) {
    auto args = r.text({var});
    if (!args.ok()) return args.error();
    if (!*args) continue;
    if (auto p = parse_ssh_args(**args, c.ssh_args, std::string(host) + ": " + var); !p) return p.error();
  }
  return c;
}

Result<Connection> connection_for(const Inventory& inv, std::string_view host) {
  if (!inv.has_host(host)) {
    return Error(ErrorKind::kNotFound, std::string(host) + ": not in the inventory");
  }
  return connection_from_vars(host, inv.host_vars(host));
}

}  // namespace fleetk8s::inventory
