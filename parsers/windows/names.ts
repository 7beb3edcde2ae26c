// One Windows account, one name. The account events (4720 created … 4738 changed, 4781 renamed)
// name the account bare (`TargetUserName`, its domain apart in `TargetDomainName`); the member
// events (4728/4732/4756 added, 4729/4733/4757 removed) name it by SID (`MemberSid`; a local
// account has no other name there), by distinguished name (`MemberName`, `CN=John Smith,OU=…`: the
// CN is not the logon name), or as `DOMAIN\name` where the SID was resolved before it was sent
// (Event Viewer's rendering, so Snare's). The population keys rows by name, so the member is
// brought to the name the account events give:
// - a SID an account event on the same computer carried (`TargetSid`) is that account's name;
// - `DOMAIN\name` is `name` when DOMAIN is the computer's own (its NetBIOS name: the Computer
//   field's first label, at most 15 characters) or the domain an account event on this computer
//   gave for that same name (`TargetDomainName`, as a domain controller's 4720 says CORP), spelt
//   as that event spelt it (Windows names are the same in any case, the population's keys are not);
// - anything else is kept as sent: a member of another domain is another principal, and a SID
//   or distinguished name nobody resolved is shown as such.
// The account events' own names are brought to one spelling too (`spelt`): `BOB` in a 4725 is the
// `Bob` the 4720 made.
// What was learnt lives as long as the reading thread; a member event whose account event came
// before a restart keeps its SID or its domain.

import { ArrivalOrder } from '../lib/arrival-order.js';

/**
 * Accounts remembered (by SID, and by name): the oldest are forgotten first. An event about an
 * account older than that keeps its SID, as one from before a restart does.
 */
const REMEMBERED = 20_000;
/** Longer names are not remembered (records bound names at 256 too: accountName): a sender's text bounds no table. */
const NAME_MAX = 256;

const SID = /^S-1-\d{1,15}(?:-\d{1,15}){1,15}$/i;

function isSid(s: string): boolean {
  return SID.test(s);
}

/** `CORP\bob` → CORP and bob; undefined for any other form. */
function qualified(s: string): { domain: string; name: string } | undefined {
  const slash = s.indexOf('\\');
  if (slash <= 0 || slash === s.length - 1 || s.indexOf('\\', slash + 1) >= 0) return undefined;
  return { domain: s.slice(0, slash), name: s.slice(slash + 1) };
}

/** The computer's NetBIOS name as Windows forms it: the host name's first label, cut to 15 characters. */
function netbios(computer: string): string {
  const dot = computer.indexOf('.');
  return (dot < 0 ? computer : computer.slice(0, dot)).slice(0, 15).toLowerCase();
}

export class AccountNames {
  /** `computer \0 SID` → the account's name. */
  private readonly bySid = new ArrivalOrder<string>();
  /** `computer \0 name` (lower case) → the name as the account events spell it, and its domain (lower case). */
  private readonly accounts = new ArrivalOrder<{ name: string; domain: string | undefined }>();

  /** An account event on `computer` named an account: its SID and domain, when given, are remembered. */
  learn(computer: string, name: string, sid: string | undefined, domain: string | undefined): void {
    if (computer.length > NAME_MAX || name.length > NAME_MAX) return;
    const c = computer.toLowerCase();
    if (sid !== undefined && isSid(sid)) {
      this.bySid.set(`${c}\0${sid.toUpperCase()}`, name);
      this.bySid.bound(REMEMBERED);
    }
    this.accounts.set(`${c}\0${name.toLowerCase()}`, { name, domain: domain !== undefined && domain.length <= NAME_MAX ? domain.toLowerCase() : undefined });
    this.accounts.bound(REMEMBERED);
  }

  /**
   * A name an account event (4720–4738, 4767, 4781's old name) gives, spelt as this computer's account
   * events first spelt it when it is the same account: Windows compares account names without
   * regard to case (SAM, Active Directory), so `BOB` in a 4725 is the `Bob` a 4720 made, and the
   * population, whose keys are byte for byte, shows one row. Another domain's name (a domain
   * controller's event naming a trusted domain's account) is another principal and keeps its own.
   */
  spelt(computer: string, name: string, domain: string | undefined): string {
    if (computer.length > NAME_MAX || name.length > NAME_MAX) return name;
    const known = this.accounts.get(`${computer.toLowerCase()}\0${name.toLowerCase()}`);
    if (known === undefined || known.name === name) return name;
    const d = domain?.toLowerCase();
    return d === undefined || known.domain === undefined || d === known.domain ? known.name : name;
  }

  /** The account once named `old` is named `name` from now on. */
  renamed(computer: string, old: string, name: string, sid: string | undefined, domain: string | undefined): void {
    this.accounts.delete(`${computer.toLowerCase()}\0${old.toLowerCase()}`);
    this.learn(computer, name, sid, domain);
  }

  /**
   * `DOMAIN\name` as the population names it on `computer` (see the rule above), spelt as the
   * account events spell it: Windows names are the same in any case, the population's keys are not.
   */
  private local(computer: string, domain: string, name: string): string | undefined {
    const d = domain.toLowerCase();
    const known = this.accounts.get(`${computer.toLowerCase()}\0${name.toLowerCase()}`);
    if (d === netbios(computer)) return known?.name ?? name;
    if (known !== undefined && known.domain === d) return known.name;
    return undefined;
  }

  /** A name as an event gave it, brought to the name the account events give. */
  canonical(computer: string, given: string): string {
    if (isSid(given)) return this.bySid.get(`${computer.toLowerCase()}\0${given.toUpperCase()}`) ?? given;
    const q = qualified(given);
    return (q && this.local(computer, q.domain, q.name)) ?? given;
  }

  /**
   * A group member's name: its SID resolved (`MemberSid`: an SID, or `DOMAIN\name` once rendered),
   * else its distinguished name (`MemberName`), else the SID as sent.
   */
  member(computer: string, memberName: string | undefined, memberSid: string | undefined): string | undefined {
    if (memberSid !== undefined) {
      const bySid = this.canonical(computer, memberSid);
      if (bySid !== memberSid || !isSid(memberSid)) return bySid;
    }
    if (memberName !== undefined) return this.canonical(computer, memberName);
    return memberSid;
  }
}
