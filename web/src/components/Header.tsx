// The DKFDS header: product name and user with "Log ud" (portal line), the
// municipality (solution line), the main menu on wide screens and a drawer
// with the same content on narrow ones.

import { useCallback, useEffect, useId, useRef, useState } from "react";
import { Link, NavLink, useLocation } from "react-router";
import type { Me } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { t, type MessageKey } from "../i18n";
import { isCurrent, isGroup, visibleNav, type NavEntry, type NavGroup, type NavLink as NavLinkEntry } from "../nav";
import { Icon } from "./Icon";
import { SiteLogo } from "./SiteLogo";

function roleName(me: Me): string {
  return t(`roles.${me.role}`);
}

function LogoutButton({ className }: { className: string }) {
  const auth = useAuth();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className={className}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void auth.logout();
      }}
    >
      <Icon name="lock" />
      {busy ? t("header.loggingOut") : t("header.logout")}
    </button>
  );
}

function DesktopGroup({ group, pathname }: { group: NavGroup; pathname: string }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const wrapper = useRef<HTMLDivElement>(null);
  const active = group.links.some((link) => isCurrent(link.to, pathname));

  // Close when focus or a click goes elsewhere, and on Escape.
  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event: Event) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        wrapper.current?.querySelector("button")?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("focusin", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("focusin", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <li className={active ? "active" : undefined}>
      <div className="submenu" ref={wrapper}>
        <button
          type="button"
          className="button-overflow-menu"
          aria-expanded={open}
          aria-controls={menuId}
          onClick={() => {
            setOpen((o) => !o);
          }}
        >
          <span>{t(group.label)}</span>
        </button>
        <div className={`overflow-menu-inner${open ? "" : " collapsed"}`} id={menuId}>
          <ul className="overflow-list">
            {group.links.map((link) => {
              const current = isCurrent(link.to, pathname);
              return (
                <li key={link.to} className={current ? "active current" : undefined}>
                  <NavLink
                    to={link.to}
                    className="nav-link"
                    onClick={() => {
                      setOpen(false);
                    }}
                  >
                    <span>{t(link.label)}</span>
                  </NavLink>
                </li>
              );
            })}
          </ul>
        </div>
      </div>
    </li>
  );
}

function DesktopNav({ entries, pathname }: { entries: readonly NavEntry[]; pathname: string }) {
  return (
    <div className="navigation-menu">
      <div className="navigation-menu-inner container">
        <nav className="nav" aria-label={t("nav.mainMenu")}>
          <ul className="mainmenu">
            {entries.map((entry) =>
              isGroup(entry) ? (
                <DesktopGroup key={entry.label} group={entry} pathname={pathname} />
              ) : (
                <li key={entry.to} className={isCurrent(entry.to, pathname) ? "active current" : undefined}>
                  <NavLink to={entry.to} className="nav-link">
                    <span>{t(entry.label)}</span>
                  </NavLink>
                </li>
              ),
            )}
          </ul>
        </nav>
      </div>
    </div>
  );
}

function MobileNav({
  entries,
  pathname,
  onNavigate,
}: {
  entries: readonly NavEntry[];
  pathname: string;
  onNavigate: () => void;
}) {
  type MobileLink = NavLinkEntry & { group: MessageKey | null };
  const links = entries.flatMap((entry): MobileLink[] =>
    isGroup(entry) ? entry.links.map((link) => ({ ...link, group: entry.label })) : [{ ...entry, group: null }],
  );
  if (links.length === 0) return null;
  return (
    <nav className="navigation-menu-mobile" aria-label={t("nav.mainMenu")}>
      <ul className="mainmenu">
        {links.map((link) => {
          const current = isCurrent(link.to, pathname);
          return (
            <li key={link.to} className={current ? "active current" : undefined}>
              <NavLink to={link.to} className="nav-link" onClick={onNavigate}>
                <span>
                  {link.group ? `${t(link.group)}: ` : ""}
                  {t(link.label)}
                </span>
              </NavLink>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export function Header({ me, drawerOpen, setDrawerOpen }: {
  me: Me;
  drawerOpen: boolean;
  setDrawerOpen: (open: boolean) => void;
}) {
  const { pathname } = useLocation();
  const entries = visibleNav(me.role);
  const userInfo = t("header.userInfo", { name: me.name, role: roleName(me) });
  const municipality = me.tenant?.name ?? t("header.platform");
  const drawer = useRef<HTMLDivElement>(null);
  const openButton = useRef<HTMLButtonElement>(null);

  const closeDrawer = useCallback(() => {
    setDrawerOpen(false);
    openButton.current?.focus();
  }, [setDrawerOpen]);

  useEffect(() => {
    if (!drawerOpen) return undefined;
    drawer.current?.querySelector<HTMLElement>(".button-menu-close")?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") closeDrawer();
    };
    document.addEventListener("keydown", onKey);
    document.body.classList.add("mobile-nav-active");
    return () => {
      document.removeEventListener("keydown", onKey);
      document.body.classList.remove("mobile-nav-active");
    };
  }, [drawerOpen, closeDrawer]);

  return (
    <header className="header">
      <a className="skipnav" href="#main-content">
        {t("app.skipToContent")}
      </a>
      <div className="portal-info">
        <div className="portal-info-inner container">
          <SiteLogo />
          <Link to="/" className="product-name">
            {t("app.name")}
          </Link>
          <button
            ref={openButton}
            type="button"
            className="function-link button-menu-open ml-auto d-print-none"
            aria-haspopup="dialog"
            aria-expanded={drawerOpen}
            onClick={() => {
              setDrawerOpen(true);
            }}
          >
            <Icon name="menu" />
            {t("nav.menu")}
          </button>
          <div className="portal-user">
            <p className="user">{userInfo}</p>
            {me.tenant ? (
              <Link to="/profil" className="function-link d-print-none profile-link">
                <Icon name="person" />
                {t("header.profile")}
              </Link>
            ) : null}
            <LogoutButton className="function-link d-print-none log-off" />
          </div>
        </div>
      </div>
      <div className="solution-info">
        <div className="solution-info-inner container">
          <div className="solution-heading">
            <Link to="/">{municipality}</Link>
          </div>
          {me.tenant ? (
            <div className="additional-info">
              <p>{t("header.municipalityCode", { code: me.tenant.municipality_code })}</p>
            </div>
          ) : null}
        </div>
      </div>
      {entries.length > 0 ? <DesktopNav entries={entries} pathname={pathname} /> : null}

      <div
        ref={drawer}
        className={`mobile-drawer${drawerOpen ? " is-visible" : ""}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby="menu-heading"
        hidden={!drawerOpen}
      >
        <div className="menu-top">
          <h2 id="menu-heading" className="menu-heading">
            {t("nav.menu")}
          </h2>
          <button
            type="button"
            className="function-link button-menu-close"
            aria-label={t("nav.closeMenu")}
            onClick={closeDrawer}
          >
            <Icon name="close" />
            {t("nav.close")}
          </button>
        </div>
        <div className="solution-info-mobile">
          <h3 className="sr-only">{t("header.municipality")}</h3>
          <p className="mb-2">
            <strong className="authority-name">{municipality}</strong>
          </p>
          {me.tenant ? <p>{t("header.municipalityCode", { code: me.tenant.municipality_code })}</p> : null}
        </div>
        <div className="portal-info-mobile">
          <h3 className="sr-only">{t("header.user")}</h3>
          <p className="user">
            <span className="mb-3">{me.name}</span>
            <span>{roleName(me)}</span>
          </p>
          {me.tenant ? (
            <p>
              <Link
                to="/profil"
                className="function-link d-print-none profile-link"
                onClick={() => {
                  setDrawerOpen(false);
                }}
              >
                <Icon name="person" />
                {t("header.profile")}
              </Link>
            </p>
          ) : null}
          <p>
            <LogoutButton className="function-link d-print-none log-off" />
          </p>
        </div>
        <MobileNav
          entries={entries}
          pathname={pathname}
          onNavigate={() => {
            setDrawerOpen(false);
          }}
        />
      </div>
      <div
        className={`overlay${drawerOpen ? " is-visible" : ""}`}
        aria-hidden="true"
        onClick={closeDrawer}
      />
    </header>
  );
}
