# Tests for scope.rego: area scope checks and the row filter compiled into SQL.
# Each test_* rule decides its input, inputs.<test name>, and asserts the whole decision.
package gateway_test

import rego.v1

import data.gateway

inputs.test_deny_la_asks_for_another_area := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"safeguarding-officer"
		],
		"scope": {
			"la_code": 202,
			"urn": null
		}
	},
	"action": "pupils.list",
	"purpose": "child-protection-enquiry",
	"agreement": "la-safeguarding",
	"reason": "Section 47 enquiry, case ref CP-2026-0112",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_list",
		"fields": [],
		"level": "la",
		"region": null,
		"la_code": 203,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_la_asks_for_another_area if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "LA 202 may only see its own area, not LA 203."
			}
		]
	} with input as inputs.test_deny_la_asks_for_another_area
}

inputs.test_deny_la_asks_for_national_figures := {
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
			"urn": null
		}
	},
	"action": "attendance.summary",
	"purpose": "attendance-support",
	"agreement": "la-attendance-support",
	"reason": "Section 47 enquiry, case ref CP-2026-0112",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "attendance_aggregate",
		"fields": [],
		"level": "national",
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_la_asks_for_national_figures if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "LA 202 may not ask for national figures under la-attendance-support: its rows are limited to its own area."
			}
		]
	} with input as inputs.test_deny_la_asks_for_national_figures
}

inputs.test_allow_la_filter_is_own_area_when_none_named := {
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
			"urn": null
		}
	},
	"action": "attendance.summary",
	"purpose": "attendance-support",
	"agreement": "la-attendance-support",
	"reason": "Section 47 enquiry, case ref CP-2026-0112",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "attendance_aggregate",
		"fields": [],
		"level": "school",
		"region": null,
		"la_code": null,
		"urn": 100001,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_la_filter_is_own_area_when_none_named if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "la-attendance-support",
			"disclosure_profile": {
				"cell_key": false,
				"dominance": null,
				"exact_own_figures": [],
				"min_comparator_schools": 3,
				"name": "casework",
				"ptable": null,
				"query_space": {
					"breakdowns": {
						"la": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
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
						"school": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						]
					},
					"ledger": false,
					"min_population": 0,
					"periods": "free"
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
			"purpose": "attendance-support",
			"reason_required": true,
			"write_scope": null,
			"row_cap": 10000,
			"row_filter": {
				"la_codes": [
					202
				],
				"organisations": null,
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208); Working together to improve school attendance (statutory guidance, 2024)",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement la-attendance-support (Local authority attendance support: targeting support for persistently and severely absent pupils) for the purpose attendance-support."
			}
		]
	} with input as inputs.test_allow_la_filter_is_own_area_when_none_named
}

inputs.test_allow_school_benchmark_unfiltered := {
	"principal": {
		"subject": "tester@school-100001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "school-100001",
		"organisation_type": "school",
		"roles": [
			"school-leader"
		],
		"scope": {
			"la_code": null,
			"urn": 100001
		}
	},
	"action": "schools.benchmark",
	"purpose": "school-improvement",
	"agreement": "school-benchmark",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "benchmark",
		"fields": [],
		"level": "school",
		"region": null,
		"la_code": null,
		"urn": 100001,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_school_benchmark_unfiltered if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "school-benchmark",
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
					"breakdowns": {
						"la": [],
						"national": [],
						"region": [],
						"school": []
					},
					"ledger": true,
					"min_population": 10,
					"periods": [
						"term",
						"year_to_date"
					]
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
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement school-benchmark (Schools: benchmarking against their LA, England and similar schools) for the purpose school-improvement."
			}
		]
	} with input as inputs.test_allow_school_benchmark_unfiltered
}

inputs.test_deny_school_benchmarks_another_school := {
	"principal": {
		"subject": "tester@school-100001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "school-100001",
		"organisation_type": "school",
		"roles": [
			"school-leader"
		],
		"scope": {
			"la_code": null,
			"urn": 100001
		}
	},
	"action": "schools.benchmark",
	"purpose": "school-improvement",
	"agreement": "school-benchmark",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "benchmark",
		"fields": [],
		"level": "school",
		"region": null,
		"la_code": null,
		"urn": 100002,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_school_benchmarks_another_school if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "School 100001 may only benchmark itself, not 100002."
			}
		]
	} with input as inputs.test_deny_school_benchmarks_another_school
}

inputs.test_deny_school_asks_for_another_schools_pupils := {
	"principal": {
		"subject": "tester@school-100001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "school-100001",
		"organisation_type": "school",
		"roles": [
			"school-leader"
		],
		"scope": {
			"la_code": null,
			"urn": 100001
		}
	},
	"action": "pupils.list",
	"purpose": "school-attendance-management",
	"agreement": "school-own-pupils",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_list",
		"fields": [],
		"level": "school",
		"region": null,
		"la_code": null,
		"urn": 100002,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_school_asks_for_another_schools_pupils if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "School 100001 may only see its own pupils, not school 100002."
			}
		]
	} with input as inputs.test_deny_school_asks_for_another_schools_pupils
}

inputs.test_allow_ogd_dpo_sees_own_organisation := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"roles": [
			"dpo"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "audit.subject",
	"purpose": "subject-access",
	"agreement": null,
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "audit",
		"fields": [
			"upn",
			"audit_events"
		],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_ogd_dpo_sees_own_organisation if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "dpo-oversight-own-organisation",
			"disclosure_profile": null,
			"fields": [
				"audit_events",
				"upn"
			],
			"generalisations": {},
			"granularity": "pseudonymised",
			"legal_gateway": "UK GDPR Art. 5(2) accountability, Art. 30 records of processing, Art. 38-39 data protection officer; DPA 2018 s.69-71",
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"purpose": "subject-access",
			"reason_required": false,
			"write_scope": null,
			"row_cap": 100000,
			"row_filter": {
				"la_codes": null,
				"organisations": [
					"dwp"
				],
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(2) accountability, Art. 30 records of processing, Art. 38-39 data protection officer; DPA 2018 s.69-71",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement dpo-oversight-own-organisation (Departmental and LA data protection officers: their own organisation's accesses) for the purpose subject-access."
			}
		]
	} with input as inputs.test_allow_ogd_dpo_sees_own_organisation
}

inputs.test_deny_la_principal_without_la_code := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"attendance-officer"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "attendance.summary",
	"purpose": "attendance-support",
	"agreement": "la-attendance-support",
	"reason": "Attendance panel ref AP-2026-03",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "attendance_aggregate",
		"fields": [],
		"level": "la",
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_la_principal_without_la_code if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "This principal carries no LA code."
			}
		]
	} with input as inputs.test_deny_la_principal_without_la_code
}

inputs.test_deny_school_principal_without_urn := {
	"principal": {
		"subject": "tester@school-100001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "school-100001",
		"organisation_type": "school",
		"roles": [
			"school-leader"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "pupils.list",
	"purpose": "school-attendance-management",
	"agreement": "school-own-pupils",
	"reason": "Termly review of persistent absence",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_list",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_school_principal_without_urn if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "This principal carries no school URN."
			}
		]
	} with input as inputs.test_deny_school_principal_without_urn
}

inputs.test_deny_school_asks_for_la_figures := {
	"principal": {
		"subject": "tester@school-100001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "school-100001",
		"organisation_type": "school",
		"roles": [
			"school-leader"
		],
		"scope": {
			"la_code": null,
			"urn": 100001
		}
	},
	"action": "attendance.summary",
	"purpose": "school-attendance-management",
	"agreement": "school-own-pupils",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "attendance_aggregate",
		"fields": [],
		"level": "la",
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_school_asks_for_la_figures if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "School 100001 may not ask for la figures under school-own-pupils."
			}
		]
	} with input as inputs.test_deny_school_asks_for_la_figures
}

inputs.test_deny_school_asks_for_regional_figures := {
	"principal": {
		"subject": "tester@school-100001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "school-100001",
		"organisation_type": "school",
		"roles": [
			"school-leader"
		],
		"scope": {
			"la_code": null,
			"urn": 100001
		}
	},
	"action": "attendance.summary",
	"purpose": "school-attendance-management",
	"agreement": "school-own-pupils",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "attendance_aggregate",
		"fields": [],
		"level": "region",
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_school_asks_for_regional_figures if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "School 100001 may not ask for region figures under school-own-pupils: its rows are limited to its own area."
			}
		]
	} with input as inputs.test_deny_school_asks_for_regional_figures
}

inputs.test_allow_school_benchmark_at_national_level := {
	"principal": {
		"subject": "tester@school-100001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "school-100001",
		"organisation_type": "school",
		"roles": [
			"school-leader"
		],
		"scope": {
			"la_code": null,
			"urn": 100001
		}
	},
	"action": "schools.benchmark",
	"purpose": "school-improvement",
	"agreement": "school-benchmark",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "benchmark",
		"fields": [],
		"level": "national",
		"region": null,
		"la_code": null,
		"urn": 100001,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_school_benchmark_at_national_level if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "school-benchmark",
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
					"breakdowns": {
						"la": [],
						"national": [],
						"region": [],
						"school": []
					},
					"ledger": true,
					"min_population": 10,
					"periods": [
						"term",
						"year_to_date"
					]
				},
				"rate_decimals": 1,
				"round_to": 5,
				"secondary": true,
				"threshold": 10,
				"totals": "recompute",
				"zeros_disclosive": false,
				"query_space": {
					"periods": ["term", "year_to_date"],
					"min_population": 10,
					"breakdowns": {"national": [], "region": [], "la": [], "school": []},
					"ledger": true
				},
				"exact_own_figures": ["school"],
				"min_comparator_schools": 3
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
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement school-benchmark (Schools: benchmarking against their LA, England and similar schools) for the purpose school-improvement."
			}
		]
	} with input as inputs.test_allow_school_benchmark_at_national_level
}

inputs.test_deny_la_dpo_names_another_la := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"dpo"
		],
		"scope": {
			"la_code": 202,
			"urn": null
		}
	},
	"action": "audit.search",
	"purpose": "audit-oversight",
	"agreement": "dpo-oversight-own-organisation",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "audit",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": 330,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_la_dpo_names_another_la if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "LA 202 may only see its own area, not LA 330."
			}
		]
	} with input as inputs.test_deny_la_dpo_names_another_la
}

inputs.test_write_scope_is_what_the_agreement_names_for_the_sender := object.union(
	inputs.test_allow_aggregator_ingest,
	{"principal": object.union(inputs.test_allow_aggregator_ingest.principal, {"organisation": "northern-mis"})},
)

test_write_scope_is_what_the_agreement_names_for_the_sender if {
	d := gateway.decision with input as inputs.test_write_scope_is_what_the_agreement_names_for_the_sender
	d.allow == true
	d.obligations.write_scope == {"la_codes": [202], "urns": []}
}

inputs.test_write_scope_of_a_sender_the_agreement_does_not_name_is_empty := object.union(
	inputs.test_allow_aggregator_ingest,
	{"principal": object.union(inputs.test_allow_aggregator_ingest.principal, {"organisation": "other-mis"})},
)

test_write_scope_of_a_sender_the_agreement_does_not_name_is_empty if {
	d := gateway.decision with input as inputs.test_write_scope_of_a_sender_the_agreement_does_not_name_is_empty
	d.allow == true
	d.obligations.write_scope == {"la_codes": [], "urns": []}
}

# schools.trend (the console's weekly trend: a school against its LA's other schools and England) rests on
# the school-benchmark agreement and its scope, exactly as schools.benchmark does.

inputs.test_allow_school_weekly_trend_against_la_and_england := {
	"principal": {
		"subject": "tester@school-100001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "school-100001",
		"organisation_type": "school",
		"roles": [
			"school-leader"
		],
		"scope": {
			"la_code": null,
			"urn": 100001
		}
	},
	"action": "schools.trend",
	"purpose": "school-improvement",
	"agreement": "school-benchmark",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "benchmark",
		"fields": [],
		"level": "school",
		"region": null,
		"la_code": null,
		"urn": 100001,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_school_weekly_trend_against_la_and_england if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "school-benchmark",
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
					"breakdowns": {
						"la": [],
						"national": [],
						"region": [],
						"school": []
					},
					"ledger": true,
					"min_population": 10,
					"periods": [
						"term",
						"year_to_date"
					]
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
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement school-benchmark (Schools: benchmarking against their LA, England and similar schools) for the purpose school-improvement."
			}
		]
	} with input as inputs.test_allow_school_weekly_trend_against_la_and_england
}

inputs.test_deny_school_weekly_trend_of_another_school := {
	"principal": {
		"subject": "tester@school-100001",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "school-100001",
		"organisation_type": "school",
		"roles": [
			"school-leader"
		],
		"scope": {
			"la_code": null,
			"urn": 100001
		}
	},
	"action": "schools.trend",
	"purpose": "school-improvement",
	"agreement": "school-benchmark",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "benchmark",
		"fields": [],
		"level": "school",
		"region": null,
		"la_code": null,
		"urn": 100002,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_school_weekly_trend_of_another_school if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "School 100001 may only benchmark itself, not 100002."
			}
		]
	} with input as inputs.test_deny_school_weekly_trend_of_another_school
}

inputs.test_deny_la_officer_weekly_trend := {
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
			"urn": null
		}
	},
	"action": "schools.trend",
	"purpose": "school-improvement",
	"agreement": "school-benchmark",
	"reason": "Termly targeting meeting",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "benchmark",
		"fields": [],
		"level": "school",
		"region": null,
		"la_code": null,
		"urn": 100001,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_la_officer_weekly_trend if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
				"code": "DENY_AGREEMENT_NOT_HELD",
				"message": "The agreement school-benchmark is not held by la-202 (la)."
			},
			{
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
				"code": "DENY_GATEWAY_REQUESTER",
				"message": "Education Act 1996 does not permit sharing with a la organisation."
			},
			{
				"citation": "Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)",
				"code": "DENY_ROLE",
				"message": "None of the roles attendance-officer of this la principal may perform schools.trend."
			},
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
				"code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
				"message": "School null may only benchmark itself, not 100001. This principal carries no school URN."
			}
		]
	} with input as inputs.test_deny_la_officer_weekly_trend
}
