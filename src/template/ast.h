// The parsed form of expressions and templates. Immutable once built;
// evaluation walks it without copying constants.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "fleetk8s/core/value.h"
#include "source.h"
#include "value_ops.h"

namespace fleetk8s::tmpl::detail {

struct Builtin;
struct Node;
using NodePtr = std::unique_ptr<Node>;  // the tree is shared as const once built

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn };

struct Node {
  enum class Kind {
    kConstant,   // constant
    kName,       // variable `name`
    kAttribute,  // kids[0].name
    kItem,       // kids[0][kids[1]]
    kSlice,      // kids[0][kids[1]:kids[2]:kids[3]]; omitted parts are null
    kList,       // [kids...]; `tuple` when written (a, b)
    kDict,       // {kids[0]: kids[1], kids[2]: kids[3], ...}
    kNegate,     // -kids[0]
    kPlus,       // +kids[0]
    kNot,        // not kids[0]
    kBinary,     // kids[0] binary_op kids[1]
    kConcat,     // kids[0] ~ kids[1]
    kAnd,        // kids[0] and kids[1]
    kOr,         // kids[0] or kids[1]
    kCompare,    // kids[0] compare_ops[0] kids[1] compare_ops[1] kids[2] ...
    kIf,         // kids[1] if kids[0] else kids[2] (kids[2] null without else)
    kFilter,     // kids[0] | builtin(args)
    kTest,       // kids[0] is [not] builtin(args)
    kFunction,   // builtin(args)
    kMethod,     // kids[0].builtin(args)
  };

  Kind kind = Kind::kConstant;
  size_t pos = 0;  // offset of the node's first token (of the operator for binary nodes)
  Value constant;
  std::string name;  // kName, kAttribute; the builtin's name for calls
  BinaryOp binary_op = BinaryOp::kAdd;
  std::vector<CompareOp> compare_ops;
  std::vector<NodePtr> kids;
  bool tuple = false;    // kList written as a tuple
  bool negated = false;  // kTest: `is not`

  // kFilter, kTest, kFunction, kMethod: the builtin (null for a method,
  // which is resolved on the receiver's type), its bound arguments (null
  // when not given) and extra positional arguments.
  const Builtin* builtin = nullptr;
  std::vector<NodePtr> args;
  std::vector<NodePtr> rest;

  // The longest path from here down to a leaf (0 for a leaf), kept by the
  // parser so it can refuse trees too tall to evaluate or free recursively.
  int height = 0;
};

// Template statements.
struct Statement;
using Body = std::vector<Statement>;

struct Statement {
  enum class Kind {
    kText,    // text
    kOutput,  // {{ expr }}
    kIf,      // {% if %}: conditions[i] guards bodies[i]; else_body
    kFor,     // {% for targets in expr [if filter] %} body {% else %} else_body
    kSet,     // {% set targets = expr %} or {% set target %}body{% endset %}
  };

  Kind kind = Kind::kText;
  size_t pos = 0;
  std::string text;
  NodePtr expr;
  std::vector<NodePtr> conditions;
  std::vector<Body> bodies;
  Body body;
  Body else_body;
  std::vector<std::string> targets;
  NodePtr filter;
};

// Sets node.height from its children's (which must be up to date).
inline void update_height(Node& node) {
  for (const auto* list : {&node.kids, &node.args, &node.rest}) {
    for (const NodePtr& kid : *list) {
      if (kid && kid->height >= node.height) node.height = kid->height + 1;
    }
  }
}

inline NodePtr make_node(Node::Kind kind, size_t pos) {
  auto node = std::make_unique<Node>();
  node->kind = kind;
  node->pos = pos;
  return node;
}

// A parsed bare expression with the source it came from.
struct ParsedExpression {
  Source source;
  NodePtr root;
};

// A parsed template.
struct ParsedTemplate {
  Source source;
  Body body;
  // Exactly one {{ expression }} and nothing else: render() keeps its type.
  bool single_expression = false;
  // Newlines that ended the text, restored after rendering as Ansible does.
  size_t trailing_newlines = 0;
};

}  // namespace fleetk8s::tmpl::detail
