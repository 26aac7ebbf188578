// A YAML document as a plain tree of Nodes that remember where they came
// from, so callers can report "file:line:col: message". This module is the
// only place that includes yaml-cpp; everything else sees these types.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::yaml {

// A position in the source text; both 1-based (0 means unknown).
struct Mark {
  int line = 0;
  int column = 0;
};

// One node of a parsed document. Value type: copies are deep, aliases
// (*anchor) are expanded into copies of the anchored node.
class Node {
 public:
  enum class Kind { kNull, kScalar, kSequence, kMap };

  Node() = default;  // a null node at an unknown position
  // Factories, used by the parser and by tests. `tag` is the explicit tag
  // if any ("tag:yaml.org,2002:str", "!unsafe"), empty when untagged.
  static Node null(Mark mark);
  static Node scalar(std::string text, bool quoted, Mark mark, std::string tag = "");
  static Node sequence(std::vector<Node> items, Mark mark, std::string tag = "");
  static Node map(std::vector<std::pair<Node, Node>> entries, Mark mark, std::string tag = "");

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_scalar() const { return kind_ == Kind::kScalar; }
  bool is_sequence() const { return kind_ == Kind::kSequence; }
  bool is_map() const { return kind_ == Kind::kMap; }
  const Mark& mark() const { return mark_; }
  const std::string& tag() const { return tag_; }

  // Scalar text (empty for null nodes) and whether it was written quoted
  // or as a block scalar, i.e. not subject to implicit typing ("yes" stays a
  // string).
  const std::string& scalar() const { return text_; }
  bool quoted() const { return quoted_; }

  // Sequence items; empty unless a sequence.
  const std::vector<Node>& items() const { return items_; }
  // Map entries in document order; empty unless a map.
  const std::vector<std::pair<Node, Node>>& entries() const { return entries_; }

  // The value of the map entry whose key is the scalar `key`, or nullptr
  // (also when this is not a map).
  const Node* get(std::string_view key) const;

  // A short noun for messages: "null", "scalar", "sequence", "mapping".
  const char* kind_name() const;

 private:
  Kind kind_ = Kind::kNull;
  Mark mark_;
  std::string tag_;
  std::string text_;
  bool quoted_ = false;
  std::vector<Node> items_;
  std::vector<std::pair<Node, Node>> entries_;
};

// Parses one YAML document (an empty text gives a null node). Errors, with
// kind kInvalidInput, read "SOURCE:LINE:COL: message"; duplicate keys in a
// map and more than one document are errors, and so, against hostile input,
// are nesting deeper than 256 levels and aliases that expand to more than
// 1,000,000 copied nodes ("billion laughs").
Result<Node> parse(std::string_view text, const std::string& source_name);

// Reads and parses a file; the source name in errors is `path`. An
// unreadable file gives "PATH: cannot read: reason" (kind kNotFound or kIo).
Result<Node> load_file(const std::string& path);

// Converts to Value the way Ansible (PyYAML, YAML 1.1) does: plain scalars
// true/false/yes/no/on/off (lower, Title or UPPER case) become bools,
// integers (decimal, 0x, 0b, 0-prefixed octal, sexagesimal 1:30, with _
// separators) ints, floats (1.5, 1.0e+3, .inf, .nan) doubles, null/~/empty
// null; quoted scalars stay strings; "<<" merge keys are applied; explicit
// !!str/!!int/!!float/!!bool/!!null tags are honoured. Map keys become their
// text (non-string keys as JSON would print them: true, null, 1).
Value to_value(const Node& node);

}  // namespace fleetk8s::yaml
