#include "fleetk8s/template/template.h"

#include <utility>

#include "ast.h"
#include "renderer.h"
#include "template_parser.h"

namespace fleetk8s::tmpl {

Template::Template(std::shared_ptr<const detail::ParsedTemplate> parsed) : parsed_(std::move(parsed)) {}

Result<Template> Template::parse(std::string_view text, const Origin& where, const TemplateOptions& options) {
  auto parsed = detail::parse_template(text, where, options);
  if (!parsed) return parsed.error();
  return Template(std::move(*parsed));
}

Result<Value> Template::render(const Scope& scope) const { return detail::render_template(*parsed_, scope); }

bool Template::is_static() const {
  const auto& body = parsed_->body;
  return body.empty() || (body.size() == 1 && body[0].kind == detail::Statement::Kind::kText);
}

}  // namespace fleetk8s::tmpl
