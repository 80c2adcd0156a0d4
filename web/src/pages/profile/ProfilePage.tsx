// Min profil: the logged-in user's own settings, reached from the user's
// name in the header: reminders by e-mail and the calendar subscription.

import { useAuth } from "../../auth/AuthContext";
import { PageHeading } from "../../components/PageHeading";
import { t } from "../../i18n";
import { CalendarFeedSection } from "./CalendarFeedSection";
import { ReminderSettingsSection } from "./ReminderSettings";

export function ProfilePage() {
  const { me } = useAuth();
  return (
    <>
      <PageHeading title={t("profile.title")} />
      {me ? (
        <p className="font-lead">
          {t("profile.who", {
            name: me.name,
            email: me.email,
            role: t(`roles.${me.role}`).toLowerCase(),
            municipality: me.tenant?.name ?? t("header.platform"),
          })}
        </p>
      ) : null}
      <p>{t("profile.intro")}</p>
      <ReminderSettingsSection />
      <CalendarFeedSection />
    </>
  );
}
