// The "new messages" control: when messages arrive below a reader who has scrolled up, a button
// says so instead of moving the view under them; it takes them to the newest, and goes away once
// they are there (by the button or by scrolling down themselves).

/**
 * @param {object} options
 * @param {HTMLButtonElement} options.button
 * @param {HTMLElement} options.scroller the element the messages scroll in
 * @param {{ atBottom: boolean, scrollToBottom: () => void }} options.timeline
 */
export function createNewMessagesControl({ button, scroller, timeline }) {
  const hide = () => {
    button.hidden = true;
  };
  button.addEventListener('click', () => {
    timeline.scrollToBottom();
    hide();
  });
  scroller.addEventListener('scroll', () => {
    if (timeline.atBottom) hide();
  }, { passive: true });

  return {
    show() {
      button.hidden = false;
    },
    hide,
  };
}
