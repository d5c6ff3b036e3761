DROP TABLE dashboard_widgets;
