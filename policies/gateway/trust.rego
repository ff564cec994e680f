# METADATA
# title: Multi-academy trust scope
# description: >-
#   A trust principal sees its own academies, as an LA sees its area: its scope checks and the row
#   filter the store compiles into SQL; and trust-level figures only for principals whose rows are not
#   limited to an LA or a school.
package gateway

import rego.v1

trust_principal if input.principal.organisation_type == "trust"

# Null when the claim is absent, so that every rule below is defined (and so decided alike by every engine).
principal_trust := object.get(input.principal.scope, "trust_id", null)

principal_has_trust if is_number(principal_trust)

scope_violations contains "This principal carries no trust id." if {
	trust_principal
	not principal_has_trust
}

scope_violations contains msg if {
	trust_principal
	principal_has_trust
	is_number(input.request.trust_id)
	input.request.trust_id != principal_trust
	msg := sprintf("Trust %v may only see its own schools, not trust %v.", [principal_trust, input.request.trust_id])
}

# A trust's schools are part of their LAs and regions, so rows for those would carry an area's name over
# only some of its schools; likewise a trust row for an LA or a school, whose rows are its own area.
scope_violations contains msg if {
	trust_principal
	principal_has_trust
	input.request.level in ["national", "region", "la"]
	msg := sprintf(
		"Trust %v may not ask for %v figures under %v: its rows are its own schools.",
		[principal_trust, input.request.level, agreement_id],
	)
}

scope_violations contains msg if {
	input.request.level == "trust"
	area_principal_named
	msg := sprintf(
		"%v may not ask for trust figures under %v: its rows are limited to its own area.",
		[area_principal, agreement_id],
	)
}

# A trust principal is held to its own trust whatever the agreement's scope (scope.rego's row filter is
# for every other principal). Benchmarks of a school need that filter too: the school must be the trust's.
row_filter := {
	"la_codes": null,
	"urns": null,
	"organisations": filter_organisations,
	"trust_ids": [principal_trust],
} if trust_principal

# Defined only for LA and school principals (scope.rego). Named, not left to sprintf of an undefined
# value: regorus' compiled program decided that case differently from its interpreter and from OPA.
area_principal_named if is_string(area_principal)
