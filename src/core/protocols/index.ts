/** The protocol peers wing: an HTTP client for a student's Web server, and a recording SMTP server. */
export { sendHttpRequest, type HttpGetResult } from './httpClient';
export { formatDialogue, formatMail, startSmtpServer } from './smtpServer';
