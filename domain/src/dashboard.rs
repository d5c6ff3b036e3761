//! "My Staff Dashboard": the kinds of widget, the default set, and the rule for a chosen set
//! (known kinds, each at most once, in the order given).

/// A dashboard widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WidgetKind {
    /// My cases by status.
    ActiveCaseLoad,
    /// My inbox: unread and read.
    MyMessages,
    /// My calendar: new and upcoming appointments, the next few.
    MyCalendar,
    /// The latest announcements and how many are unread.
    LatestAnnouncements,
    /// My report indicators for the current month.
    MyReportIndicators,
    /// The letters (correspondence) I created this month.
    MyCorrespondence,
    /// "Need Help or More Information": the staff resources (guides, training videos) for me.
    NeedHelp,
    /// "Labor Market Services": the labour-market links for me.
    LaborMarketServices,
    /// Surveys: how many are open to me and how many of those I have not answered, the latest.
    Surveys,
}

impl WidgetKind {
    /// Every kind.
    pub const ALL: &'static [WidgetKind] = &[
        WidgetKind::ActiveCaseLoad,
        WidgetKind::MyMessages,
        WidgetKind::MyCalendar,
        WidgetKind::LatestAnnouncements,
        WidgetKind::MyReportIndicators,
        WidgetKind::MyCorrespondence,
        WidgetKind::NeedHelp,
        WidgetKind::LaborMarketServices,
        WidgetKind::Surveys,
    ];

    /// The set shown until a staff member chooses one.
    pub const DEFAULT: &'static [WidgetKind] = WidgetKind::ALL;

    /// The stable name (API and database).
    pub fn as_str(self) -> &'static str {
        match self {
            WidgetKind::ActiveCaseLoad => "active_case_load",
            WidgetKind::MyMessages => "my_messages",
            WidgetKind::MyCalendar => "my_calendar",
            WidgetKind::LatestAnnouncements => "latest_announcements",
            WidgetKind::MyReportIndicators => "my_report_indicators",
            WidgetKind::MyCorrespondence => "my_correspondence",
            WidgetKind::NeedHelp => "need_help",
            WidgetKind::LaborMarketServices => "labor_market_services",
            WidgetKind::Surveys => "surveys",
        }
    }

    /// Parses a stable name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == text)
    }
}

/// A widget chosen twice, at this position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("widget {index} was chosen already")]
pub struct DuplicateWidget {
    /// The position of the second occurrence.
    pub index: usize,
}

/// Checks a chosen set: each kind at most once.
pub fn check_layout(kinds: &[WidgetKind]) -> Result<(), DuplicateWidget> {
    for (index, kind) in kinds.iter().enumerate() {
        if kinds[..index].contains(kind) {
            return Err(DuplicateWidget { index });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layout_names_each_kind_once() {
        use WidgetKind::*;
        assert_eq!(check_layout(&[MyCalendar, MyMessages]), Ok(()));
        assert_eq!(check_layout(&[]), Ok(()));
        assert_eq!(
            check_layout(&[MyCalendar, MyMessages, MyCalendar]),
            Err(DuplicateWidget { index: 2 })
        );
        for kind in WidgetKind::ALL {
            assert_eq!(WidgetKind::parse(kind.as_str()), Some(*kind));
        }
    }
}
