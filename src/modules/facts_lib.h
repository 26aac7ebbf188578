// What the fact parsers share: the script's raw lines by key, and one
// function per group of facts, each adding what its lines support to the
// facts dict and nothing when they are absent. Private to src/modules.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fleetk8s/core/strings.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::modules {

// The script's `key=value` lines: every value of a key, in output order.
class RawFacts {
 public:
  void add(const std::string& key, std::string value) { lines_[key].push_back(std::move(value)); }
  // The first value of `key`, or nullptr.
  const std::string* first(const std::string& key) const;
  // Every value of `key` (empty when absent).
  const std::vector<std::string>& all(const std::string& key) const;
  bool has(const std::string& key) const { return lines_.count(key) != 0; }

 private:
  std::map<std::string, std::vector<std::string>> lines_;
};

// Whitespace-separated words of `s`.
std::vector<std::string> split_words(const std::string& s);

// Each adds its facts to `f`; later ones read facts earlier ones set
// (platform first, then distribution; the rest in any order).
void add_platform_facts(const RawFacts& raw, Value::Object& f);
void add_distribution_facts(const RawFacts& raw, Value::Object& f);
void add_cpu_facts(const RawFacts& raw, Value::Object& f);
void add_memory_facts(const RawFacts& raw, Value::Object& f);
void add_network_facts(const RawFacts& raw, Value::Object& f);

}  // namespace fleetk8s::modules
