#include "extra_vars.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "fleetk8s/core/strings.h"
#include "fleetk8s/playbook/kv_args.h"
#include "fleetk8s/yaml/node.h"

namespace fleetk8s::cli {

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out = split_trimmed(s, ',');
  std::erase(out, std::string());
  return out;
}

namespace {

bool is_variable_name(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

Error bad_item(const std::string& item, const std::string& why) {
  return Error(ErrorKind::kInvalidInput, "-e " + item + ": " + why +
                                             " (expected NAME=VALUE pairs, a YAML/JSON mapping, or @FILE)");
}

}  // namespace

Result<Value::Object> parse_extra_vars(const std::vector<std::string>& items,
                                       std::map<std::string, std::string>* origins) {
  Value::Object out;
  for (const auto& item : items) {
    Value v;
    std::optional<yaml::Node> file;  // for the lines of @FILE's names
    if (item.find_first_not_of(" \t\r\n") == std::string::npos) return bad_item("''", "empty");
    if (item.front() == '@') {
      auto node = yaml::load_file(item.substr(1));
      if (!node) return node.error().context("-e " + item);
      v = yaml::to_value(*node);
      file = std::move(*node);
    } else if (item.front() == '{' || item.front() == '[') {
      auto node = yaml::parse(item, "-e");
      if (!node) return node.error();
      v = yaml::to_value(*node);
    } else {
      auto kv = playbook::parse_kv(item);
      if (!kv) return kv.error().context("-e " + item);
      if (auto raw = kv->find("_raw_params"); raw != kv->end())
        return bad_item(item, "\"" + raw->second.to_display() + "\" is not NAME=VALUE" +
                                  (is_variable_name(item) ? " (no value given)" : ""));
      v = Value(std::move(*kv));
    }
    if (!v.is_object()) return bad_item(item, "not a mapping");
    for (auto& [k, x] : v.as_object()) {
      if (!is_variable_name(k)) return bad_item(item, "\"" + k + "\" is not a variable name");
      out[k] = x;
      if (!origins) continue;
      const yaml::Node* at = file ? file->get(k) : nullptr;
      (*origins)[k] = at ? "-e " + item + ":" + std::to_string(at->mark().line) : "-e";
    }
  }
  return out;
}

}  // namespace fleetk8s::cli
