#include "extra_vars.h"

#include "fleetk8s/playbook/kv_args.h"
#include "fleetk8s/yaml/node.h"

namespace fleetk8s::cli {

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + ",") {
    if (c == ',') {
      while (!cur.empty() && cur.back() == ' ') cur.pop_back();
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (!(c == ' ' && cur.empty())) {
      cur += c;
    }
  }
  return out;
}

Result<Value::Object> parse_extra_vars(const std::vector<std::string>& items) {
  Value::Object out;
  for (const auto& item : items) {
    Value v;
    if (!item.empty() && item.front() == '@') {
      auto node = yaml::load_file(item.substr(1));
      if (!node) return node.error().context("-e " + item);
      v = yaml::to_value(*node);
    } else if (!item.empty() && (item.front() == '{' || item.front() == '[')) {
      auto node = yaml::parse(item, "-e");
      if (!node) return node.error();
      v = yaml::to_value(*node);
    } else {
      auto kv = playbook::parse_kv(item);
      if (!kv) return kv.error().context("-e " + item);
      v = Value(std::move(*kv));
    }
    if (!v.is_object()) return Error(ErrorKind::kInvalidInput, "-e " + item + ": expected key=value pairs or a mapping");
    for (auto& [k, x] : v.as_object()) out[k] = x;
  }
  return out;
}

}  // namespace fleetk8s::cli
