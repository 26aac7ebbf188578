#include "fleetk8s/template/value_template.h"

#include <string>
#include <utility>
#include <vector>

#include "ast.h"
#include "renderer.h"
#include "template_parser.h"

namespace fleetk8s::tmpl {
namespace detail {

// The parsed form of a Value: subtrees without templates are kept whole as
// constants, so rendering copies them without walking them.
struct ValueTree {
  enum class Kind { kConstant, kTemplate, kArray, kObject };
  Kind kind = Kind::kConstant;
  Value constant;
  std::shared_ptr<const ParsedTemplate> text;
  std::vector<ValueTree> items;
  struct Member;  // not std::pair: clang's libstdc++ checks need ValueTree complete
  std::vector<Member> members;
};

struct ValueTree::Member {
  std::string key;
  ValueTree tree;
};

}  // namespace detail

namespace {

using detail::ValueTree;

Result<ValueTree> build(const Value& v, const Origin& where, const TemplateOptions& options, const std::string& path) {
  ValueTree tree;
  if (v.is_string() && detail::has_template_markers(v.as_string())) {
    auto parsed = detail::parse_template(v.as_string(), where, options, /*exact=*/path.empty(), path);
    if (!parsed) return parsed.error();
    tree.kind = ValueTree::Kind::kTemplate;
    tree.text = std::move(*parsed);
    return tree;
  }
  bool dynamic = false;
  if (v.is_array()) {
    for (size_t i = 0; i < v.as_array().size(); ++i) {
      auto item = build(v.as_array()[i], where, options, path + "[" + std::to_string(i) + "]");
      if (!item) return item;
      dynamic = dynamic || item->kind != ValueTree::Kind::kConstant;
      tree.items.push_back(std::move(*item));
    }
    tree.kind = ValueTree::Kind::kArray;
  } else if (v.is_object()) {
    for (const auto& [key, member] : v.as_object()) {
      auto sub = build(member, where, options, path.empty() ? key : path + "." + key);
      if (!sub) return sub;
      dynamic = dynamic || sub->kind != ValueTree::Kind::kConstant;
      tree.members.push_back({key, std::move(*sub)});
    }
    tree.kind = ValueTree::Kind::kObject;
  }
  if (!dynamic) {  // no template below: keep the value whole
    tree = ValueTree();
    tree.constant = v;
  }
  return tree;
}

Result<Value> render_tree(const ValueTree& tree, const Scope& scope) {
  switch (tree.kind) {
    case ValueTree::Kind::kConstant: return tree.constant;
    case ValueTree::Kind::kTemplate: return detail::render_template(*tree.text, scope);
    case ValueTree::Kind::kArray: {
      Value::Array out;
      out.reserve(tree.items.size());
      for (const auto& item : tree.items) {
        auto v = render_tree(item, scope);
        if (!v) return v;
        out.push_back(std::move(*v));
      }
      return Value(std::move(out));
    }
    case ValueTree::Kind::kObject: {
      Value::Object out;
      for (const auto& [key, member] : tree.members) {
        auto v = render_tree(member, scope);
        if (!v) return v;
        out.emplace_hint(out.end(), key, std::move(*v));
      }
      return Value(std::move(out));
    }
  }
  return Value();
}

}  // namespace

ValueTemplate::ValueTemplate(std::shared_ptr<const detail::ValueTree> tree) : tree_(std::move(tree)) {}

Result<ValueTemplate> ValueTemplate::parse(const Value& v, const Origin& where, const TemplateOptions& options) {
  auto tree = build(v, where, options, "");
  if (!tree) return tree.error();
  return ValueTemplate(std::make_shared<const ValueTree>(std::move(*tree)));
}

Result<Value> ValueTemplate::render(const Scope& scope) const { return render_tree(*tree_, scope); }

bool ValueTemplate::is_static() const { return tree_->kind == ValueTree::Kind::kConstant; }

}  // namespace fleetk8s::tmpl
