# Tests for trust.rego: a trust principal's scope and row filter, and trust-level figures for others.
# Each test_* rule decides its input, inputs.<test name>, and asserts the whole decision.
package gateway_test

import rego.v1

import data.gateway

inputs.test_allow_trust_summary_of_its_own_schools := {
	"principal": {
		"subject": "tester@trust-2001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "trust-2001",
		"organisation_type": "trust",
		"roles": [
			"trust-leader"
		],
		"scope": {
			"la_code": null,
			"urn": null,
			"trust_id": 2001
		}
	},
	"action": "attendance.summary",
	"purpose": "school-attendance-management",
	"agreement": "trust-attendance",
	"reason": "Termly attendance review, trust board 2026-01",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "attendance_aggregate",
		"fields": [],
		"level": "trust",
		"region": null,
		"la_code": null,
		"urn": null,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_trust_summary_of_its_own_schools if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "trust-attendance",
			"disclosure_profile": {
				"cell_key": false,
				"dominance": null,
				"exact_own_figures": [],
				"min_comparator_schools": 3,
				"name": "casework",
				"ptable": null,
				"query_space": {
					"periods": "free",
					"min_population": 0,
					"breakdowns": {
						"national": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
						"region": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
						"la": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
						"school": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						]
					},
					"ledger": false
				},
				"rate_decimals": 1,
				"round_to": null,
				"secondary": false,
				"threshold": 0,
				"totals": "recompute",
				"zeros_disclosive": false
			},
			"fields": [
				"aggregate_counts"
			],
			"generalisations": {},
			"granularity": "aggregate",
			"legal_gateway": "School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208); Working together to improve school attendance (statutory guidance, 2024)",
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"purpose": "school-attendance-management",
			"reason_required": true,
			"write_scope": null,
			"row_cap": 5000,
			"row_filter": {
				"la_codes": null,
				"organisations": null,
				"trust_ids": [
					2001
				],
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208); Working together to improve school attendance (statutory guidance, 2024)",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement trust-attendance (Multi-academy trusts: their own academies' attendance, for attendance management and support) for the purpose school-attendance-management."
			}
		]
	} with input as inputs.test_allow_trust_summary_of_its_own_schools
}

inputs.test_allow_trust_pupil_list_of_its_own_schools := {
	"principal": {
		"subject": "tester@trust-2001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "trust-2001",
		"organisation_type": "trust",
		"roles": [
			"trust-leader"
		],
		"scope": {
			"la_code": null,
			"urn": null,
			"trust_id": 2001
		}
	},
	"action": "pupils.list",
	"purpose": "attendance-support",
	"agreement": "trust-attendance",
	"reason": "Termly attendance review, trust board 2026-01",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_list",
		"fields": [
			"upn",
			"surname",
			"urn",
			"persistent_absence"
		],
		"level": "pupil",
		"region": null,
		"la_code": null,
		"urn": null,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_trust_pupil_list_of_its_own_schools if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "trust-attendance",
			"disclosure_profile": {
				"cell_key": false,
				"dominance": null,
				"exact_own_figures": [],
				"min_comparator_schools": 3,
				"name": "casework",
				"ptable": null,
				"query_space": {
					"periods": "free",
					"min_population": 0,
					"breakdowns": {
						"national": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
						"region": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
						"la": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
						"school": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						]
					},
					"ledger": false
				},
				"rate_decimals": 1,
				"round_to": null,
				"secondary": false,
				"threshold": 0,
				"totals": "recompute",
				"zeros_disclosive": false
			},
			"fields": [
				"persistent_absence",
				"surname",
				"upn",
				"urn"
			],
			"generalisations": {},
			"granularity": "identifiable",
			"legal_gateway": "School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208); Working together to improve school attendance (statutory guidance, 2024)",
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"purpose": "attendance-support",
			"reason_required": true,
			"write_scope": null,
			"row_cap": 5000,
			"row_filter": {
				"la_codes": null,
				"organisations": null,
				"trust_ids": [
					2001
				],
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208); Working together to improve school attendance (statutory guidance, 2024)",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement trust-attendance (Multi-academy trusts: their own academies' attendance, for attendance management and support) for the purpose attendance-support."
			}
		]
	} with input as inputs.test_allow_trust_pupil_list_of_its_own_schools
}

inputs.test_allow_trust_benchmarks_a_school := {
	"principal": {
		"subject": "tester@trust-2001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "trust-2001",
		"organisation_type": "trust",
		"roles": [
			"trust-leader"
		],
		"scope": {
			"la_code": null,
			"urn": null,
			"trust_id": 2001
		}
	},
	"action": "schools.benchmark",
	"purpose": "school-improvement",
	"agreement": "trust-benchmark",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "benchmark",
		"fields": [
			"aggregate_counts"
		],
		"level": "school",
		"region": null,
		"la_code": null,
		"urn": 123041,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_trust_benchmarks_a_school if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "trust-benchmark",
			"disclosure_profile": {
				"cell_key": false,
				"dominance": null,
				"exact_own_figures": [
					"school"
				],
				"min_comparator_schools": 3,
				"name": "school-benchmark",
				"ptable": null,
				"query_space": {
					"periods": [
						"term",
						"year_to_date"
					],
					"min_population": 10,
					"breakdowns": {
						"national": [],
						"region": [],
						"la": [],
						"school": []
					},
					"ledger": true
				},
				"rate_decimals": 1,
				"round_to": 5,
				"secondary": true,
				"threshold": 10,
				"totals": "recompute",
				"zeros_disclosive": false
			},
			"fields": [
				"aggregate_counts"
			],
			"generalisations": {},
			"granularity": "aggregate",
			"legal_gateway": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"purpose": "school-improvement",
			"reason_required": false,
			"write_scope": null,
			"row_cap": null,
			"row_filter": {
				"la_codes": null,
				"organisations": null,
				"trust_ids": [
					2001
				],
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement trust-benchmark (Multi-academy trusts: benchmarking their academies against the trust, the LA, England and similar schools) for the purpose school-improvement."
			}
		]
	} with input as inputs.test_allow_trust_benchmarks_a_school
}

inputs.test_deny_trust_asks_for_another_trust := {
	"principal": {
		"subject": "tester@trust-2001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "trust-2001",
		"organisation_type": "trust",
		"roles": [
			"trust-leader"
		],
		"scope": {
			"la_code": null,
			"urn": null,
			"trust_id": 2001
		}
	},
	"action": "attendance.summary",
	"purpose": "school-attendance-management",
	"agreement": "trust-attendance",
	"reason": "Termly attendance review, trust board 2026-01",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "attendance_aggregate",
		"fields": [],
		"level": "school",
		"region": null,
		"la_code": null,
		"urn": null,
		"trust_id": 2002,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_trust_asks_for_another_trust if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "Trust 2001 may only see its own schools, not trust 2002."
			}
		]
	} with input as inputs.test_deny_trust_asks_for_another_trust
}

inputs.test_deny_trust_asks_for_la_figures := {
	"principal": {
		"subject": "tester@trust-2001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "trust-2001",
		"organisation_type": "trust",
		"roles": [
			"trust-leader"
		],
		"scope": {
			"la_code": null,
			"urn": null,
			"trust_id": 2001
		}
	},
	"action": "attendance.summary",
	"purpose": "school-attendance-management",
	"agreement": "trust-attendance",
	"reason": "Termly attendance review, trust board 2026-01",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "attendance_aggregate",
		"fields": [],
		"level": "la",
		"region": null,
		"la_code": null,
		"urn": null,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_trust_asks_for_la_figures if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "Trust 2001 may not ask for la figures under trust-attendance: its rows are its own schools."
			}
		]
	} with input as inputs.test_deny_trust_asks_for_la_figures
}

inputs.test_deny_trust_principal_without_trust_id := {
	"principal": {
		"subject": "tester@trust-2001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "trust-2001",
		"organisation_type": "trust",
		"roles": [
			"trust-leader"
		],
		"scope": {
			"la_code": null,
			"urn": null,
			"trust_id": null
		}
	},
	"action": "attendance.summary",
	"purpose": "school-attendance-management",
	"agreement": "trust-attendance",
	"reason": "Termly attendance review, trust board 2026-01",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "attendance_aggregate",
		"fields": [],
		"level": "school",
		"region": null,
		"la_code": null,
		"urn": null,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_trust_principal_without_trust_id if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "This principal carries no trust id."
			}
		]
	} with input as inputs.test_deny_trust_principal_without_trust_id
}

inputs.test_deny_trust_pupil_list_without_a_reason := {
	"principal": {
		"subject": "tester@trust-2001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "trust-2001",
		"organisation_type": "trust",
		"roles": [
			"trust-leader"
		],
		"scope": {
			"la_code": null,
			"urn": null,
			"trust_id": 2001
		}
	},
	"action": "pupils.list",
	"purpose": "attendance-support",
	"agreement": "trust-attendance",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_list",
		"fields": [],
		"level": "pupil",
		"region": null,
		"la_code": null,
		"urn": null,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_trust_pupil_list_without_a_reason if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208); Working together to improve school attendance (statutory guidance, 2024)",
				"code": "DENY_REASON_REQUIRED",
				"message": "The agreement requires a reason for access of at least 10 characters (reason)."
			}
		]
	} with input as inputs.test_deny_trust_pupil_list_without_a_reason
}

inputs.test_deny_la_asks_for_trust_figures := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"attendance-officer"
		],
		"scope": {
			"la_code": 202,
			"urn": null,
			"trust_id": null
		}
	},
	"action": "attendance.summary",
	"purpose": "attendance-support",
	"agreement": "la-attendance-support",
	"reason": "Termly attendance review, trust board 2026-01",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "attendance_aggregate",
		"fields": [],
		"level": "trust",
		"region": null,
		"la_code": null,
		"urn": null,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_la_asks_for_trust_figures if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "LA 202 may not ask for trust figures under la-attendance-support: its rows are limited to its own area."
			}
		]
	} with input as inputs.test_deny_la_asks_for_trust_figures
}
