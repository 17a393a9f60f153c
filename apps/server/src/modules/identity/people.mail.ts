/** The e-mails people receive, in Russian and English at once (the recipient's language is not known yet). */

export function invitationEmail(accountName: string, link: string, days: number) {
  return {
    subject: `Приглашение в ${accountName} — Switchboard / Invitation to ${accountName}`,
    text: [
      `Вас пригласили в «${accountName}» в Switchboard. Откройте ссылку, укажите имя и пароль:`,
      link,
      `Ссылка действует ${days} дней и открывается один раз.`,
      '',
      `You are invited to "${accountName}" on Switchboard. Open the link and choose your name and password:`,
      link,
      `The link works once and expires in ${days} days.`,
    ].join('\n'),
  };
}

export function passwordResetEmail(accountName: string, link: string) {
  return {
    subject: 'Сброс пароля Switchboard / Switchboard password reset',
    text: [
      `Кто-то (возможно, вы) попросил сбросить пароль к «${accountName}» в Switchboard. Новый пароль можно задать по ссылке:`,
      link,
      'Ссылка действует 1 час и открывается один раз. Если вы не просили сброс, просто удалите это письмо.',
      '',
      `Someone (probably you) asked to reset your Switchboard password for "${accountName}". Choose a new one here:`,
      link,
      'The link works once and expires in 1 hour. If you did not ask for it, ignore this e-mail.',
    ].join('\n'),
  };
}
