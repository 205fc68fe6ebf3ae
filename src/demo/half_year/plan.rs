//! What happens to each dossier of the half-year: the seed report's mix of procedures, who
//! handles them, and its shortcomings assigned to the people it names.

use crate::enums::{Channel, Level};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Officer {
    Cuong,
    Vi,
    Vu,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Plan {
    /// Resolved after a quarter, half or three quarters of the legal time.
    OnTime(u8),
    /// Resolved a few working hours after the due instant.
    Late,
}

#[derive(Clone, Debug)]
pub(super) struct Spec {
    pub procedure: &'static str,
    pub channel: Channel,
    pub officer: Officer,
    pub plan: Plan,
    pub reception_digitized: bool,
    pub result_digitized: bool,
    /// The result came from the city's labour office.
    pub outside_unit: bool,
    pub survey: Option<Level>,
}

/// (procedure code, how many, who handles it, online?) for the 1,215 dossiers received and
/// resolved in the period.
const MIX: &[(&str, usize, Officer, bool)] = &[
    // Fully online civil status: 76.
    ("1.001193", 40, Officer::Cuong, true),
    ("1.000656", 16, Officer::Cuong, true),
    ("1.004873", 15, Officer::Cuong, true),
    ("2.000635", 5, Officer::Cuong, true),
    // Partly online civil status: 300.
    ("1.000894", 120, Officer::Cuong, true),
    ("1.000689", 60, Officer::Cuong, true),
    ("1.004859", 60, Officer::Cuong, true),
    ("1.001022", 20, Officer::Cuong, true),
    ("1.004837", 20, Officer::Cuong, true),
    ("1.004845", 20, Officer::Cuong, true),
    // Certification: 697 (3 more are still open on 25/6).
    ("2.000815", 647, Officer::Vi, true),
    ("2.000884", 50, Officer::Vi, true),
    // Social protection and people with merit: 131.
    ("1.001776", 40, Officer::Vu, true),
    ("1.001731", 30, Officer::Vu, true),
    ("1.014028", 20, Officer::Vu, true),
    ("1.001653", 20, Officer::Vu, true),
    ("1.010833", 21, Officer::Vu, true),
    // At the desk only: 11.
    ("6.006758", 5, Officer::Vu, false),
    ("1.012592", 4, Officer::Vu, false),
    ("1.012590", 2, Officer::Vu, false),
];

const LATE: usize = 41;
const CUONG_RECEPTION_MISSING: usize = 68;
const CUONG_RESULT_MISSING: usize = 252;
const VI_RESULT_MISSING: usize = 3;
const VU_RESULT_MISSING: usize = 3;
const SURVEYS_VERY_SATISFIED: usize = 341;
const SURVEYS_SATISFIED: usize = 70;

/// The dossiers in the order they arrive: the mix interleaved by a fixed permutation, with the
/// seed's shortcomings assigned to the people it names.
pub(super) fn specs() -> Vec<Spec> {
    let mut plain: Vec<Spec> = MIX
        .iter()
        .flat_map(|&(procedure, count, officer, online)| {
            std::iter::repeat_n(
                Spec {
                    procedure,
                    channel: if online { Channel::Online } else { Channel::Direct },
                    officer,
                    plan: Plan::OnTime(2),
                    reception_digitized: true,
                    result_digitized: true,
                    outside_unit: false,
                    survey: None,
                },
                count,
            )
        })
        .collect();
    let n = plain.len();
    // 7919 is prime and does not divide n: i ↦ i·7919 mod n is a permutation that mixes the kinds.
    let mut ordered: Vec<Spec> = vec![plain[0].clone(); n];
    for (i, spec) in plain.drain(..).enumerate() {
        ordered[(i * 7919) % n] = spec;
    }
    let (mut late, mut reception, mut cuong_result, mut vi_result, mut vu_result) = (0, 0, 0, 0, 0);
    let mut unit_done = false;
    let mut surveys = 0;
    for (pos, spec) in ordered.iter_mut().enumerate() {
        spec.plan = Plan::OnTime(1 + (pos % 3) as u8);
        match spec.officer {
            Officer::Cuong => {
                // Late ones early enough in the half-year to be resolved, late, before its end.
                if late < LATE && pos % 5 == 2 && pos < n * 3 / 4 {
                    spec.plan = Plan::Late;
                    late += 1;
                }
                if reception < CUONG_RECEPTION_MISSING && pos % 4 == 1 {
                    spec.reception_digitized = false;
                    reception += 1;
                }
                if cuong_result < CUONG_RESULT_MISSING && pos % 4 != 3 {
                    spec.result_digitized = false;
                    cuong_result += 1;
                }
            }
            Officer::Vi if vi_result < VI_RESULT_MISSING && pos > n / 2 => {
                spec.result_digitized = false;
                vi_result += 1;
            }
            Officer::Vu if !unit_done && spec.procedure == "1.001776" && pos > n / 3 => {
                spec.outside_unit = true;
                spec.result_digitized = false;
                unit_done = true;
            }
            Officer::Vu
                if vu_result < VU_RESULT_MISSING && spec.channel == Channel::Online && pos > n / 2 =>
            {
                spec.result_digitized = false;
                vu_result += 1;
            }
            _ => {}
        }
        let total = SURVEYS_VERY_SATISFIED + SURVEYS_SATISFIED;
        if pos % 2 == 0 && surveys < total && returned(spec) {
            // Spread the "satisfied" answers evenly among the others: exactly 70 of 411.
            let satisfied = (surveys + 1) * SURVEYS_SATISFIED / total != surveys * SURVEYS_SATISFIED / total;
            spec.survey = Some(if satisfied { Level::Satisfied } else { Level::VerySatisfied });
            surveys += 1;
        }
    }
    ordered
}

/// Whether the result is handed over in the story: the social-protection results still missing
/// were not (the seed: "chưa có kết quả").
pub(super) fn returned(spec: &Spec) -> bool {
    !(spec.officer == Officer::Vu && !spec.result_digitized && !spec.outside_unit)
}

impl Spec {
    /// An online dossier resolved on time, digitized at both ends, without a survey: the ones
    /// around the period's edges.
    pub(super) fn online(procedure: &'static str, officer: Officer, quarters: u8) -> Self {
        Spec {
            procedure,
            channel: Channel::Online,
            officer,
            plan: Plan::OnTime(quarters),
            reception_digitized: true,
            result_digitized: true,
            outside_unit: false,
            survey: None,
        }
    }
}
